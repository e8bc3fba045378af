import { dispatch } from '../app/api/dispatch.js';
import type { EventBus } from '../app/api/events.js';
import type { ContractErrorCode, Envelope, FolioHandlers } from '../app/core/contract.js';
import { asFolioError } from '../app/core/errors.js';
import type { Endpoint } from '../app/core/endpoint.js';
import type { HostToMain, MainToHost, StoredImageMessage } from './host-protocol.js';

/**
 * The core host's side of the conversation with main: answers `invoke` through the contract's
 * dispatch (validation included), `image` from the archive, and forwards every bus event.
 * Transport-agnostic: core-host.ts plugs in Electron's process.parentPort; tests plug in a
 * worker_threads MessagePort.
 */
export type HostPort = Endpoint<MainToHost, HostToMain>;

export interface RunningCore {
  archivePath: string;
  handlers: FolioHandlers;
  events: EventBus;
  getImage(sha256: string): StoredImageMessage | null;
  /** Stops the queue and closes the archive. */
  close(): Promise<void>;
}

/**
 * Serves `core` (which may still be starting) on `port`. Calls that arrive before the core is
 * ready wait for it; if it failed to start, every call answers with that failure, so the UI
 * can say why (e.g. "archive made by a newer Folio") instead of hanging. Resolves `onShutdown`
 * once a shutdown request has closed the core.
 */
export function serveCore(port: HostPort, core: Promise<RunningCore>, onShutdown: () => void): void {
  let startError: { code: ContractErrorCode; message: string } | null = null;

  core.then(
    (running) => {
      running.events.onAny((event) => port.post({ kind: 'event', name: event.name, payload: event.payload }));
      port.post({ kind: 'ready', archivePath: running.archivePath });
    },
    (err: unknown) => {
      const e = asFolioError(err);
      startError = { code: e.code, message: e.message };
      console.error('folio: the core could not start:', err);
      port.post({ kind: 'fatal', error: startError });
    },
  );

  port.onMessage((message) => {
    switch (message.kind) {
      case 'invoke':
        void answerInvoke(message.id, message.method, message.input);
        break;
      case 'image':
        void answerImage(message.id, message.sha256);
        break;
      case 'shutdown':
        void shutdown();
        break;
    }
  });

  async function answerInvoke(id: number, method: string, input: unknown): Promise<void> {
    let envelope: Envelope<unknown>;
    try {
      envelope = await dispatch((await core).handlers, method, input);
    } catch {
      envelope = { ok: false, error: startError ?? { code: 'INTERNAL', message: 'The Folio core is not running.' } };
    }
    try {
      port.post({ kind: 'reply', id, envelope });
    } catch (err) {
      // A value the port cannot clone is a handler bug; say so rather than leaving main waiting.
      console.error(`folio: the reply to ${method} could not be sent:`, err);
      port.post({
        kind: 'reply',
        id,
        envelope: { ok: false, error: { code: 'INTERNAL', message: `Folio could not send the result of ${method} to the window.` } },
      });
    }
  }

  async function answerImage(id: number, sha256: string): Promise<void> {
    let image: StoredImageMessage | null = null;
    try {
      image = (await core).getImage(sha256);
    } catch (err) {
      if (!startError) console.error(`folio: reading image ${sha256} failed:`, err);
    }
    port.post({ kind: 'image', id, image });
  }

  async function shutdown(): Promise<void> {
    try {
      await (await core).close();
    } catch (err) {
      if (!startError) console.error('folio: closing the core failed:', err);
    }
    onShutdown();
  }
}
