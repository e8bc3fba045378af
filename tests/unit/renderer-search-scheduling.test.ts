import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OneAtATime, debounceLeading } from '../../renderer/src/lib/latest.js';

// The search box's scheduling: the first keystroke after a pause is searched at once; quick
// keystrokes are held and only the last of a burst is searched, once typing pauses.
describe('debounceLeading', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs a call that comes after a pause at once, with its own arguments', () => {
    const calls: string[] = [];
    const send = debounceLeading((q: string) => calls.push(q), 100);
    send('s');
    expect(calls).toEqual(['s']);
    vi.advanceTimersByTime(150);
    send('so'); // typed 150 ms later: slower than the burst window
    expect(calls).toEqual(['s', 'so']);
    vi.advanceTimersByTime(1000);
    expect(calls).toEqual(['s', 'so']); // nothing held, nothing repeated
  });

  it('holds a burst of quick calls and runs only its last one once calls stop for the window', () => {
    const calls: string[] = [];
    const send = debounceLeading((q: string) => calls.push(q), 100);
    for (const q of ['s', 'sa', 'sah', 'saha', 'sahar', 'sahara']) {
      send(q);
      vi.advanceTimersByTime(30);
    }
    expect(calls).toEqual(['s']);
    vi.advanceTimersByTime(69); // 99 ms after the last keystroke
    expect(calls).toEqual(['s']);
    vi.advanceTimersByTime(1);
    expect(calls).toEqual(['s', 'sahara']);
  });

  it('measures the pause from the latest call, so a steady stream of quick calls is held until it stops', () => {
    const calls: number[] = [];
    const send = debounceLeading((n: number) => calls.push(n), 100);
    for (let n = 0; n < 20; n++) {
      send(n);
      vi.advanceTimersByTime(90);
    }
    expect(calls).toEqual([0]);
    vi.advanceTimersByTime(10);
    expect(calls).toEqual([0, 19]);
    // After the burst has been answered, the next keystroke after a pause is immediate again.
    vi.advanceTimersByTime(100);
    send(20);
    expect(calls).toEqual([0, 19, 20]);
  });

  it('flush runs the held call now (Enter); with nothing held it does nothing', () => {
    const calls: string[] = [];
    const send = debounceLeading((q: string) => calls.push(q), 100);
    send('a');
    send('ab');
    send.flush();
    expect(calls).toEqual(['a', 'ab']);
    send.flush();
    vi.advanceTimersByTime(500);
    expect(calls).toEqual(['a', 'ab']);
    send('abc'); // the flush ended the burst: the next call is immediate
    expect(calls).toEqual(['a', 'ab', 'abc']);
  });

  it('cancel drops the held call (clearing the box) and the next call is immediate', () => {
    const calls: string[] = [];
    const send = debounceLeading((q: string) => calls.push(q), 100);
    send('x');
    send('xy');
    send.cancel();
    vi.advanceTimersByTime(500);
    expect(calls).toEqual(['x']);
    send('z');
    expect(calls).toEqual(['x', 'z']);
  });
});

// The first pages of searches: one request at a time, only the latest waiting one is sent.
describe('OneAtATime', () => {
  /** A task whose promise the test settles by hand, recording when it started. */
  function task(log: string[], name: string) {
    let settle!: (ok: boolean) => void;
    const run = () => {
      log.push(`start ${name}`);
      return new Promise<void>((resolve, reject) => (settle = (ok) => (ok ? resolve() : reject(new Error(name)))));
    };
    return { run, settle: (ok = true) => settle(ok) };
  }
  const ticks = () => new Promise((r) => setTimeout(r, 0));

  it('starts a task at once when none runs, and the next one only when it has settled', async () => {
    const log: string[] = [];
    const one = new OneAtATime();
    const a = task(log, 'a');
    const b = task(log, 'b');
    one.run(a.run);
    one.run(b.run);
    expect(log).toEqual(['start a']);
    a.settle();
    await ticks();
    expect(log).toEqual(['start a', 'start b']);
  });

  it('never starts a waiting task that was called off, and runs the one that replaced it', async () => {
    const log: string[] = [];
    const one = new OneAtATime();
    const [a, b, c] = [task(log, 'a'), task(log, 'b'), task(log, 'c')];
    one.run(a.run);
    const callOffB = one.run(b.run);
    callOffB(); // a newer query came before "b" could be sent
    one.run(c.run);
    a.settle(false); // a failed answer frees the slot too
    await ticks();
    expect(log).toEqual(['start a', 'start c']);
    c.settle();
    await ticks();
    expect(log).toEqual(['start a', 'start c']);
  });

  it('calling off a task that already started changes nothing', async () => {
    const log: string[] = [];
    const one = new OneAtATime();
    const [a, b] = [task(log, 'a'), task(log, 'b')];
    const callOffA = one.run(a.run);
    callOffA();
    one.run(b.run);
    a.settle();
    await ticks();
    expect(log).toEqual(['start a', 'start b']);
  });
});
