/**
 * How long a job waits before its next attempt after a transient failure (timeout, reset,
 * HTTP 5xx). Exponential, so a struggling server gets room to recover (1 s, 4 s, 16 s…), with
 * jitter, so a batch of jobs that failed together does not retry in lock-step and hit the same
 * server at the same instant again.
 */

/** Milliseconds to wait after the job's `attempt`-th failed attempt (attempt ≥ 1). */
export type Backoff = (attempt: number) => number;

export interface ExponentialBackoffOptions {
  /** Delay after the first failure. Default 1000 ms. */
  baseMs?: number;
  /** Each further failure multiplies the delay by this. Default 4. */
  factor?: number;
  /** Upper bound of one delay. Default 5 minutes. */
  maxMs?: number;
  /** ± this fraction of the delay is added at random. Default 0.2 (±20 %). */
  jitter?: number;
  /** Source of randomness in [0, 1) (tests pass a fixed one). */
  random?: () => number;
}

export function exponentialBackoff(options: ExponentialBackoffOptions = {}): Backoff {
  const { baseMs = 1000, factor = 4, maxMs = 5 * 60_000, jitter = 0.2, random = Math.random } = options;
  return (attempt) => {
    const n = Math.max(1, Math.trunc(attempt) || 1);
    const delay = Math.min(maxMs, baseMs * factor ** (n - 1));
    const spread = delay * jitter * (random() * 2 - 1);
    return Math.max(0, Math.round(delay + spread));
  };
}

/** The production default: about 1 s, 4 s, 16 s between the attempts. */
export const DEFAULT_BACKOFF: Backoff = exponentialBackoff();
