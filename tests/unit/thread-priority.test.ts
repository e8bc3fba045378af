import { readdirSync, readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { describe, expect, it } from 'vitest';
import { BACKGROUND_NICE, yieldHelperThreadsToMain } from '../../app/capture/thread-priority.js';

/** Each thread of this process and its niceness, from /proc (field 19 of a task's stat line). */
function niceness(): Map<number, number> {
  const out = new Map<number, number>();
  for (const t of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${t}/stat`, 'utf8');
      out.set(Number(t), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]));
    } catch {
      // ended meanwhile
    }
  }
  return out;
}

// (Where the tests themselves already run below BACKGROUND_NICE there is nothing to lower.)
describe.runIf(process.platform === 'linux' && getPriority() < BACKGROUND_NICE)('helper threads yield to the main thread', () => {
  it('lowers every thread of the process but the main one, which keeps its priority', () => {
    const before = niceness();
    expect(before.size).toBeGreaterThan(1); // V8's helper threads at least

    const lowered = yieldHelperThreadsToMain();
    const after = niceness();
    expect(lowered).toBe(before.size - 1);
    expect(after.get(process.pid)).toBe(before.get(process.pid));
    for (const [tid, nice] of after) if (tid !== process.pid && before.has(tid)) expect(nice, `thread ${tid}`).toBe(BACKGROUND_NICE);
    // Once per process: threads started later (extraction workers) keep their priority.
    expect(yieldHelperThreadsToMain()).toBe(0);
  });
});
