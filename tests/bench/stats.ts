/** Order statistics for benchmark samples (milliseconds or rates). */
export interface Summary {
  n: number;
  median: number;
  p95: number;
  max: number;
  min: number;
}

export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    median: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    max: sorted[sorted.length - 1] ?? NaN,
    min: sorted[0] ?? NaN,
  };
}

export function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** Lets the event loop turn (jsdom frees closed windows only then; GC gets a chance). */
export function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
