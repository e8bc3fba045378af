/** What the archive's thread and its checkpoint thread share (checkpointer.ts, checkpoint-worker.ts). */
export interface CheckpointWorkerData {
  /** Absolute path of the archive file. */
  file: string;
  intervalMs: number;
  /** One Int32 holding a CheckpointState, read and written with Atomics. */
  state: SharedArrayBuffer;
}

export const CheckpointState = {
  /** The thread has not opened its connection yet. */
  Starting: 0,
  /** Its connection is open and checkpointing. */
  Running: 1,
  /** Its connection is closed (or was never opened). */
  Closed: 2,
  /** The archive closed before the thread started: it must open nothing. */
  Cancelled: 3,
} as const;
