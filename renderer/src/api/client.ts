import type { EventName, FolioApi, FolioEvents, MethodName } from '../../../app/core/contract.js';
import { createElectronTransport, findElectronBridge } from './electron-transport.js';
import { createHttpTransport } from './http-transport.js';
import { METHOD_NAMES } from './methods.js';
import type { ConnectionState, Transport } from './transport.js';

export { FolioClientError, errorMessage } from './errors.js';
export type { ConnectionState } from './transport.js';

/** Everything the UI asks of the core: every contract method, events, and image URLs. */
export type FolioClient = FolioApi & {
  on<E extends EventName>(event: E, fn: (payload: FolioEvents[E]) => void): () => void;
  /** Where the renderer loads a stored image from, for this transport. */
  assetUrl(sha256: string): string;
  /** Reports whether the core answers (for the "can't reach Folio" banner). */
  onConnection(fn: (state: ConnectionState) => void): () => void;
};

/** Builds the client over a given transport (tests pass their own). */
export function clientFor(transport: Transport): FolioClient {
  const api = {} as Record<MethodName, (input: unknown) => Promise<unknown>>;
  for (const name of METHOD_NAMES) api[name] = (input) => transport.invoke(name, input);
  return Object.assign(api as unknown as FolioApi, {
    on: transport.on.bind(transport),
    assetUrl: transport.assetUrl.bind(transport),
    onConnection: transport.onConnection.bind(transport),
  });
}

/** Picks the transport at startup: the Electron preload if present, else the loopback bridge. */
export function createClient(): FolioClient {
  const bridge = findElectronBridge();
  return clientFor(bridge ? createElectronTransport(bridge) : createHttpTransport());
}
