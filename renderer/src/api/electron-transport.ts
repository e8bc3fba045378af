import type { EventName, FolioEvents, MethodName } from '../../../app/core/contract.js';
import { unwrapEnvelope } from './envelope.js';
import { FolioClientError } from './errors.js';
import { Listeners, type ConnectionState, type Transport } from './transport.js';

/** What the Electron preload exposes as `window.folio` (contextBridge). */
export interface ElectronBridge {
  invoke(method: string, input: unknown): Promise<unknown>;
  on(event: string, fn: (payload: unknown) => void): () => void;
}

/** The preload's bridge, if this page runs inside the Electron shell. */
export function findElectronBridge(): ElectronBridge | null {
  // Read through globalThis instead of augmenting Window: main/ declares its own typing.
  const candidate = (globalThis as { folio?: unknown }).folio;
  if (candidate && typeof candidate === 'object') {
    const b = candidate as Partial<ElectronBridge>;
    if (typeof b.invoke === 'function' && typeof b.on === 'function') return b as ElectronBridge;
  }
  return null;
}

export function createElectronTransport(bridge: ElectronBridge): Transport {
  const connection = new Listeners<ConnectionState>();
  return {
    async invoke(method: MethodName, input: unknown) {
      let envelope: unknown;
      try {
        envelope = await bridge.invoke(method, input ?? {});
      } catch (err) {
        connection.emit('unreachable');
        const why = err instanceof Error ? err.message : String(err);
        throw new FolioClientError(
          'UNREACHABLE',
          `Can't reach Folio's core (${why}). Restart Folio; if it keeps happening, report it.`,
        );
      }
      connection.emit('ok');
      return unwrapEnvelope(method, envelope);
    },
    on<E extends EventName>(event: E, fn: (payload: FolioEvents[E]) => void) {
      return bridge.on(event, fn as (payload: unknown) => void);
    },
    // Served by main/'s protocol handler for the folio-asset scheme.
    assetUrl: (sha256) => `folio-asset://img/${encodeURIComponent(sha256)}`,
    onConnection: (fn) => connection.add(fn),
  };
}
