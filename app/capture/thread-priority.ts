import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';
import { isMainThread } from 'node:worker_threads';

/**
 * Extraction is background work: the thread that answers the window, the bridge or the CLI's
 * progress must get a core as soon as it wants one. On a 2-core machine two extraction workers
 * and V8's shared helper threads (which do those workers' garbage collection, ~70 ms of CPU per
 * page) kept the main thread waiting for a core: in a 1,000-page import its event loop stalled
 * for up to 76–134 ms although its longest stretch of JavaScript was 64 ms. With every other
 * thread at this niceness: 56–64 ms, and the import ran ~15 % faster (87–90 against 104–107 s),
 * the main thread handing out pages and saving results without waiting.
 */
export const BACKGROUND_NICE = 10;

/**
 * Lowers the calling thread's priority (Linux renices the calling thread only with
 * setPriority(0, …); elsewhere that would lower the whole process, so nothing is done).
 */
export function runThisThreadInBackground(): void {
  if (process.platform !== 'linux') return;
  try {
    setPriority(0, BACKGROUND_NICE);
  } catch {
    // not permitted here: keep the normal priority
  }
}

/**
 * Lowers every thread of this process but the main one (V8's helper threads, libuv's pool,
 * extraction workers) to BACKGROUND_NICE. Linux only, from the main thread only, and not inside
 * Electron, whose processes have Chromium threads (IPC among them) that must not be slowed.
 * Returns how many threads were lowered.
 */
export function yieldOtherThreadsToMain(): number {
  if (process.platform !== 'linux' || !isMainThread || process.versions.electron) return 0;
  let tids: number[];
  try {
    tids = readdirSync('/proc/self/task').map(Number);
  } catch {
    return 0;
  }
  let lowered = 0;
  for (const tid of tids) {
    if (tid === process.pid) continue; // the main thread's id is the process id
    try {
      setPriority(tid, BACKGROUND_NICE);
      lowered++;
    } catch {
      // the thread has ended, or this is not permitted: leave it
    }
  }
  return lowered;
}
