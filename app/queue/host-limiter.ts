/**
 * Counts the captures running per host so the runner never opens more than `perHost` at once
 * against one site (politeness, and many sites throttle or ban bursts). The queue's claimNext
 * takes the saturated hosts as an exclusion list, so jobs for other sites overtake them.
 */
export interface HostLimiter {
  acquire(host: string): void;
  release(host: string): void;
  /** Hosts already running `perHost` captures. */
  saturated(): string[];
  /** Captures currently running for `host`. */
  running(host: string): number;
}

export function createHostLimiter(perHost: number): HostLimiter {
  if (!Number.isInteger(perHost) || perHost < 1) throw new RangeError(`perHost must be a whole number ≥ 1, got ${perHost}`);
  const counts = new Map<string, number>();
  return {
    acquire(host) {
      counts.set(host, (counts.get(host) ?? 0) + 1);
    },
    release(host) {
      const n = (counts.get(host) ?? 0) - 1;
      if (n <= 0) counts.delete(host);
      else counts.set(host, n);
    },
    saturated() {
      return [...counts].filter(([, n]) => n >= perHost).map(([host]) => host);
    },
    running(host) {
      return counts.get(host) ?? 0;
    },
  };
}
