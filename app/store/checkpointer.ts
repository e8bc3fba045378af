import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { compiledSibling } from '../compiled-script.js';
import { CheckpointState, type CheckpointWorkerData } from './checkpoint-state.js';

/**
 * Moves WAL checkpoints off the archive's thread. SQLite checkpoints automatically inside the
 * commit that takes the WAL past 1,000 pages (4 MB): that commit copies the pages into the
 * database file and fsyncs it, ~50 ms here, and with images stored in the archive a fetching
 * import crosses 4 MB every few articles — each time a stall of the event loop that also
 * answers the UI. A thread with its own connection (checkpoint-worker.ts) checkpoints every
 * second instead, and the archive's own automatic checkpoint stays as a backstop at 64 MB, for
 * when that thread falls behind or could not start (then back at the default).
 */
export interface Checkpointer {
  /** Closes the thread's connection (waiting up to 5 s for a checkpoint in progress) and ends it. */
  stop(): void;
}

const DEFAULT_AUTOCHECKPOINT_PAGES = 1000;
const BACKSTOP_AUTOCHECKPOINT_PAGES = 16_384;
const STOP_WAIT_MS = 5000;

export function startCheckpointer(db: Database.Database, file: string, opts: { intervalMs?: number } = {}): Checkpointer {
  const script = workerFile();
  if (!script) return { stop: () => undefined };
  const state = new SharedArrayBuffer(4);
  const flag = new Int32Array(state);
  const data: CheckpointWorkerData = { file, intervalMs: opts.intervalMs ?? 1000, state };
  let worker: Worker;
  try {
    // No execArgv of the parent's (preloads, loaders, --inspect): this thread runs one pragma.
    worker = new Worker(script, { workerData: data, execArgv: [] });
  } catch {
    return { stop: () => undefined };
  }
  db.pragma(`wal_autocheckpoint = ${BACKSTOP_AUTOCHECKPOINT_PAGES}`);
  // The thread must not keep a CLI process alive; the archive's close() ends it properly.
  worker.unref();
  let stopped = false;
  const fallBack = (): void => {
    if (!stopped && db.open) db.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`);
  };
  worker.on('error', fallBack);
  worker.on('exit', fallBack);
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      // Not started yet: tell it to open nothing. Running: ask it to close and wait for that,
      // so the archive's own close is the last connection's (which checkpoints and removes the WAL).
      if (Atomics.compareExchange(flag, 0, CheckpointState.Starting, CheckpointState.Cancelled) !== CheckpointState.Starting) {
        if (Atomics.load(flag, 0) === CheckpointState.Running) {
          worker.postMessage('stop');
          Atomics.wait(flag, 0, CheckpointState.Running, STOP_WAIT_MS);
        }
      }
      void worker.terminate();
    },
  };
}

/**
 * The thread's compiled script (compiledSibling). Null when it is missing: the archive then
 * checkpoints on its own thread as SQLite does by default.
 */
function workerFile(): string | null {
  const file = compiledSibling(import.meta.url, 'checkpoint-worker');
  return existsSync(file) ? file : null;
}
