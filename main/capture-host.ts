import { utilityProcess, type UtilityProcess } from 'electron';
import type { Envelope, EventName, FolioEvents } from '../app/core/contract.js';
import { createExtractorBroker } from './extract-broker.js';
import { HostClient, type HostToMain, type StoredImageMessage } from './host-protocol.js';

/**
 * Runs Folio's core — the archive (better-sqlite3), the capture queue with its fetches, image
 * downloads and extraction pool, and the contract handlers — in a separate Electron
 * utility process, and proxies calls, image reads and events to it.
 *
 * Why a utility process rather than handlers in main:
 * extraction is not the only thing that can take the CPU. better-sqlite3 is synchronous (a
 * search over a large archive, a save with many image blobs, a migration), and capture also
 * hashes, sniffs and compresses on its thread. In main, any of that would stall every window's
 * input and painting. In a utility process nothing the core does can freeze the window, a
 * crash in it (native module, out-of-memory page) takes down only the core, which is restarted,
 * and the main process stays a thin, auditable relay that never loads a native module. The
 * core is the same code `folio serve` runs; only the transport (a MessagePort) differs. Pages
 * are cleaned in further utility processes (build/main/extract-host.js), which main starts when
 * the core's extraction pool asks (extract-broker.ts) and connects to the core by MessagePorts,
 * so the core's own event loop keeps answering list/search calls while pages are being cleaned
 * and no process holds more than one extraction heap.
 */
export interface CoreHostOptions {
  /** build/main/core-host.js */
  script: string;
  /** build/main/extract-host.js */
  extractScript: string;
  archivePath: string;
  /** Receives every FolioEvents event the core emits. */
  onEvent(name: EventName, payload: FolioEvents[EventName]): void;
  /** Called with the reason when the core cannot start or keeps crashing (for a log/dialog). */
  onFatal?(message: string): void;
}

export interface CoreHost {
  invoke(method: string, input: unknown): Promise<Envelope<unknown>>;
  getImage(sha256: string): Promise<StoredImageMessage | null>;
  /** Asks the core to finish (queue stopped, archive closed), then kills it after a grace period. */
  stop(graceMs?: number): Promise<void>;
  readonly stopped: boolean;
}

/** Crashes allowed within CRASH_WINDOW_MS before we stop restarting (a crash loop helps no one). */
const MAX_CRASHES = 5;
const CRASH_WINDOW_MS = 60_000;

export function startCoreHost(options: CoreHostOptions): CoreHost {
  let child: UtilityProcess | null = null;
  let client: HostClient | null = null;
  let stopping = false;
  let stopped = false;
  let fatal: string | null = null;
  const crashes: number[] = [];

  function spawn(): void {
    const proc = utilityProcess.fork(options.script, [], {
      serviceName: 'Folio core',
      stdio: 'inherit',
      env: { ...process.env, FOLIO_DB: options.archivePath },
    });
    const hostClient = new HostClient((message) => proc.postMessage(message));
    const extractors = createExtractorBroker(options.extractScript, (message, transfer) => proc.postMessage(message, transfer));
    child = proc;
    client = hostClient;

    proc.on('message', (message: HostToMain) => {
      const other = hostClient.receive(message);
      if (!other) return;
      if (other.kind === 'event') options.onEvent(other.name, other.payload);
      else if (other.kind === 'fatal') options.onFatal?.(other.error.message);
      else if (other.kind === 'spawn-extractor') extractors.spawn(other.id, other.limits);
      else if (other.kind === 'kill-extractor') extractors.kill(other.id);
    });

    proc.on('exit', (code) => {
      // Its extraction processes served only this core.
      extractors.killAll();
      hostClient.failAll(stopping ? 'Folio is shutting down' : `the core process stopped unexpectedly (exit code ${code})`);
      if (child === proc) {
        child = null;
        client = null;
      }
      if (stopping) {
        stopped = true;
        return;
      }
      const now = Date.now();
      crashes.push(now);
      while (crashes.length && now - crashes[0]! > CRASH_WINDOW_MS) crashes.shift();
      if (crashes.length >= MAX_CRASHES) {
        fatal = `Folio's core stopped ${crashes.length} times within a minute (last exit code ${code}); see the log, then restart Folio`;
        options.onFatal?.(fatal);
        return;
      }
      console.error(`folio: the core process exited (code ${code}); restarting it`);
      setTimeout(() => {
        if (!stopping) spawn();
      }, 500 * crashes.length);
    });
  }

  spawn();

  return {
    invoke(method, input) {
      if (client) return client.invoke(method, input);
      const reason = fatal ?? (stopping ? 'Folio is shutting down' : 'the core is restarting');
      return Promise.resolve({ ok: false, error: { code: 'INTERNAL', message: `Folio could not run ${method}: ${reason}.` } });
    },
    getImage(sha256) {
      return client ? client.image(sha256) : Promise.resolve(null);
    },
    async stop(graceMs = 5_000) {
      stopping = true;
      const proc = child;
      if (!proc) {
        stopped = true;
        return;
      }
      const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      proc.postMessage({ kind: 'shutdown' });
      const timer = setTimeout(() => proc.kill(), graceMs);
      await exited;
      clearTimeout(timer);
      stopped = true;
    },
    get stopped() {
      return stopped;
    },
  };
}
