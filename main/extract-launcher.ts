import type { ExtractorExit, ExtractorLauncher, ExtractorProcess } from '../app/capture/extract-process.js';
import type { ExtractorMessage, ExtractRequest } from '../app/capture/extract-protocol.js';
import type { HostToMain, MainToHost } from './host-protocol.js';

/** What the core needs of a MessagePort (Electron's MessagePortMain has this shape). */
export interface PortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  start(): void;
  close(): void;
}

/**
 * The core's side of extraction in the desktop app: an ExtractorLauncher whose processes are
 * Electron utility processes that main starts on request (extract-broker.ts). Each launch asks
 * main for one; requests sent before its MessagePort arrives wait for it. No Electron import:
 * the core host (core-host.ts) feeds main's messages to `receive`, and the tests feed it
 * worker_threads ports.
 */
export function brokeredExtractors(toMain: (message: HostToMain) => void): {
  launcher: ExtractorLauncher;
  /** Takes `extractor-port` and `extractor-exit` messages; false for any other message. */
  receive(message: MainToHost, ports: readonly PortLike[]): boolean;
} {
  let nextId = 1;
  const live = new Map<number, { attach(port: PortLike): void; exited(exit: ExtractorExit): void }>();

  const launcher: ExtractorLauncher = (limits) => {
    const id = nextId++;
    let port: PortLike | null = null;
    let ended = false;
    const waiting: ExtractRequest[] = [];
    const messageListeners: ((reply: ExtractorMessage) => void)[] = [];
    const exitListeners: ((exit: ExtractorExit) => void)[] = [];
    live.set(id, {
      attach(p) {
        port = p;
        p.on('message', (event) => {
          for (const fn of messageListeners) fn(event.data as ExtractorMessage);
        });
        p.start();
        for (const request of waiting.splice(0)) p.postMessage(request);
      },
      exited(exit) {
        live.delete(id);
        ended = true;
        port?.close();
        for (const fn of exitListeners) fn(exit);
      },
    });
    toMain({ kind: 'spawn-extractor', id, limits });
    const proc: ExtractorProcess = {
      send(request) {
        if (ended) return;
        if (port) port.postMessage(request);
        else waiting.push(request);
      },
      onMessage: (fn) => messageListeners.push(fn),
      onExit: (fn) => exitListeners.push(fn),
      kill: () => {
        if (!ended) toMain({ kind: 'kill-extractor', id });
      },
      // The core host lives as long as the app: nothing to release.
      keepAlive: () => undefined,
    };
    return proc;
  };

  return {
    launcher,
    receive(message, ports) {
      if (message.kind === 'extractor-port') {
        const port = ports[0];
        const entry = live.get(message.id);
        if (port && entry) entry.attach(port);
        else port?.close();
        return true;
      }
      if (message.kind === 'extractor-exit') {
        live.get(message.id)?.exited(message.exit);
        return true;
      }
      return false;
    },
  };
}
