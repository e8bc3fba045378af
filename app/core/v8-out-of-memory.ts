/**
 * V8's last words on stderr when a process reaches its heap cap ("Reached heap limit",
 * "JavaScript heap out of memory"): how an extraction process's exit is told apart from a crash.
 */
const V8_OUT_OF_MEMORY = /heap limit|heap out of memory|Allocation failed/i;

/** Where V8's fatal-error report begins: the GC trace it prints first, or the FATAL ERROR line. */
const V8_FATAL_REPORT = /<--- Last few GCs --->|FATAL ERROR:/;
const HELD_MAX = 4096;

/**
 * Reads an extraction process's stderr: passes what it says on as it comes, but holds V8's
 * fatal-error report (from its first line on, the last 4 KB of it). At exit, `finish` says
 * whether the process ran out of memory — the pool then reports one line naming the page and
 * the cap instead of V8's dump — and passes the held report on when it was anything else.
 */
export function childStderr(passOn: (text: string) => void): { take(chunk: string): void; finish(): { outOfMemory: boolean } } {
  let held: string | null = null;
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
      held = (held + chunk).slice(-HELD_MAX);
    },
    finish() {
      const outOfMemory = held !== null && V8_OUT_OF_MEMORY.test(held);
      if (held && !outOfMemory) passOn(held);
      return { outOfMemory };
    },
  };
}
