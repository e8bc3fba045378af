/**
 * Entry of the checkpoint thread (checkpointer.ts starts it): a second connection to the
 * archive that copies the WAL into the database file every `intervalMs` with a PASSIVE
 * checkpoint, so that copy and its fsyncs happen here and not in the middle of a save on the
 * archive's own thread. A PASSIVE checkpoint never waits for readers or the writer.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { withNativeBinding } from './sqlite-binding.js';
import { CheckpointState, type CheckpointWorkerData } from './checkpoint-state.js';

const data = workerData as CheckpointWorkerData;
const state = new Int32Array(data.state);

// The archive may have been closed before this thread got going: then open nothing.
if (Atomics.compareExchange(state, 0, CheckpointState.Starting, CheckpointState.Running) === CheckpointState.Starting) {
  let db: Database.Database | null = null;
  try {
    db = new Database(data.file, withNativeBinding({ fileMustExist: true }));
    // Never wait on the archive's own thread: a checkpoint that cannot start now runs next time.
    db.pragma('busy_timeout = 0');
  } catch {
    db = null;
  }
  const checkpoint = db?.prepare('PRAGMA wal_checkpoint(PASSIVE)');
  const timer = db
    ? setInterval(() => {
        try {
          checkpoint!.run();
        } catch {
          // busy or the file gone: the archive's own automatic checkpoint is the backstop
        }
      }, data.intervalMs)
    : null;
  const finish = (): void => {
    if (timer) clearInterval(timer);
    try {
      db?.close();
    } finally {
      Atomics.store(state, 0, CheckpointState.Closed);
      Atomics.notify(state, 0);
      parentPort?.close();
    }
  };
  if (!db) finish();
  else parentPort?.on('message', (message: unknown) => message === 'stop' && finish());
}
