/**
 * V8's last words on stderr when a process reaches its heap cap ("Reached heap limit",
 * "JavaScript heap out of memory"), or the native frames of its out-of-memory handler: how an
 * extraction process's exit is told apart from a crash. The frames count too because a report
 * once came without its header and FATAL ERROR line, only the native stack trace (a CI run:
 * the page over the cap was then reported as a crash).
 */
const V8_OUT_OF_MEMORY = /heap limit|heap out of memory|Allocation failed|OOMErrorHandler|FatalProcessOutOfMemory/i;

/**
 * Where V8's fatal-error report begins: the GC trace it prints first, the FATAL ERROR line, or
 * (when those are missing) the native stack trace.
 */
const V8_FATAL_REPORT = /<--- Last few GCs --->|FATAL ERROR:|----- Native stack trace -----/;
const HELD_MAX = 4096;

/**
 * Reads an extraction process's stderr: passes what it says on as it comes, but holds V8's
 * fatal-error report (from its first line on, the last 4 KB of it). At exit, `finish` says
 * whether the process ran out of memory — the pool then reports one line naming the page and
 * the cap instead of V8's dump — and passes the held report on when it was anything else.
 */
export function childStderr(passOn: (text: string) => void): { take(chunk: string): void; finish(): { outOfMemory: boolean } } {
  let held: string | null = null;
  // Decided as the report arrives: only its last 4 KB are kept, and a long native stack trace
  // would push the out-of-memory frames out of them.
  let outOfMemory = false;
  return {
    take(chunk) {
      if (held === null) {
        const at = chunk.search(V8_FATAL_REPORT);
        if (at < 0) {
          passOn(chunk);
          return;
        }
        if (at > 0) passOn(chunk.slice(0, at));
        held = '';
        chunk = chunk.slice(at);
      }
      // Tested before trimming, so a phrase cut across two chunks is still seen whole.
      held += chunk;
      if (!outOfMemory && V8_OUT_OF_MEMORY.test(held)) outOfMemory = true;
      held = held.slice(-HELD_MAX);
    },
    finish() {
      if (held && !outOfMemory) passOn(held);
      return { outOfMemory };
    },
  };
}
