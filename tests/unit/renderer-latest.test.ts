import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Sequencer, debounce, throttle } from '../../renderer/src/lib/latest.js';

describe('Sequencer (search as you type, out-of-order answers)', () => {
  it('never shows an older answer after a newer one', () => {
    const seq = new Sequencer();
    const a = seq.next(); // "s"
    const b = seq.next(); // "so"
    const c = seq.next(); // "sol"
    expect(seq.accept(b)).toBe(true); // "so" arrives first: newer than nothing shown
    expect(seq.accept(a)).toBe(false); // "s" arrives late: refused
    expect(seq.pending).toBe(true); // "sol" still out
    expect(seq.accept(c)).toBe(true);
    expect(seq.pending).toBe(false);
  });

  it('refuses answers after invalidate() and tickets it never issued', () => {
    const seq = new Sequencer();
    const a = seq.next();
    seq.invalidate();
    expect(seq.accept(a)).toBe(false);
    expect(seq.accept(99)).toBe(false);
    expect(seq.accept(seq.next())).toBe(true);
  });

  it('simulated typing with random latencies only ever moves forward', async () => {
    const seq = new Sequencer();
    const shown: string[] = [];
    const query = 'renewable';
    const latencies = [40, 5, 30, 1, 25, 2, 15, 8, 3];
    await Promise.all(
      [...query].map((_, i) => {
        const q = query.slice(0, i + 1);
        const t = seq.next();
        return new Promise<void>((r) =>
          setTimeout(() => {
            if (seq.accept(t)) shown.push(q);
            r();
          }, latencies[i]),
        );
      }),
    );
    const lengths = shown.map((s) => s.length);
    expect(lengths).toEqual([...lengths].sort((x, y) => x - y));
    expect(shown[shown.length - 1]).toBe(query);
  });
});

describe('debounce and throttle', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('debounce sends only the last value after typing pauses', () => {
    const sent: string[] = [];
    const d = debounce((q: string) => sent.push(q), 100);
    d('s');
    vi.advanceTimersByTime(60);
    d('so');
    vi.advanceTimersByTime(60);
    d('sol');
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(100);
    expect(sent).toEqual(['sol']);
  });

  it('debounce flush sends now, cancel drops the pending call', () => {
    const sent: string[] = [];
    const d = debounce((q: string) => sent.push(q), 100);
    d('a');
    d.flush();
    expect(sent).toEqual(['a']);
    d('b');
    d.cancel();
    vi.advanceTimersByTime(500);
    expect(sent).toEqual(['a']);
  });

  it('throttle calls at most once per window and always delivers the final value', () => {
    const saved: number[] = [];
    const t = throttle((p: number) => saved.push(p), 1000);
    for (let i = 1; i <= 30; i++) {
      t(i / 30);
      vi.advanceTimersByTime(100); // 3 s of scrolling
    }
    vi.advanceTimersByTime(1000);
    expect(saved.length).toBeGreaterThanOrEqual(3);
    expect(saved.length).toBeLessThanOrEqual(4);
    expect(saved[saved.length - 1]).toBe(1);
  });
});
