import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';
import { isMainThread } from 'node:worker_threads';

/**
 * V8's helper threads, shared by every thread of the process, do most of the extraction workers'
 * garbage collection (~70 ms of CPU per page). On a 2-core machine they and two workers kept the
 * main thread waiting for a core: in a 1,000-page import its event loop stalled for up to
 * 76–134 ms although its longest stretch of JavaScript was 64 ms. With the helpers at this
 * niceness: 52–53 ms, and the import ran faster (75–81 against 104–107 s), the main thread handing out
 * pages and saving results without waiting.
 *
 * The extraction workers themselves keep normal priority: a lowered worker loses to any other
 * busy process, and its per-page time limit is wall-clock time — with two CPU-bound processes
 * beside it, a worker at nice 10 took over 3 s to extract a one-line page, and real captures
 * would fail "too slow" whenever the machine is busy.
 */
export const BACKGROUND_NICE = 10;

let yielded = false;

/**
 * Lowers the threads this process has before its first extraction worker starts (V8's helper
 * threads, libuv's pool) to BACKGROUND_NICE, once per process. Linux only (where a thread id
 * can be reniced), from the main thread only, and not inside Electron, whose processes have
 * Chromium threads (IPC among them) that must not be slowed. Returns how many were lowered.
 */
export function yieldHelperThreadsToMain(): number {
  if (yielded || process.platform !== 'linux' || !isMainThread || process.versions.electron) return 0;
  yielded = true;
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
