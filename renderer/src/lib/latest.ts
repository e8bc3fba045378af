/**
 * Out-of-order protection for requests whose answers replace what is on screen (search as
 * you type, list reloads). Each request takes a ticket; an answer is shown only if no NEWER
 * answer has been shown already, so a slow old search never overwrites a newer one, while
 * still letting a newer-than-shown intermediate answer through (less waiting while typing).
 */
export class Sequencer {
  private issued = 0;
  private shown = 0;

  /** A ticket for a request about to be sent. */
  next(): number {
    return ++this.issued;
  }

  /** Whether the answer to `ticket` may be shown now; if so it becomes the shown one. */
  accept(ticket: number): boolean {
    if (ticket <= this.shown || ticket > this.issued) return false;
    this.shown = ticket;
    return true;
  }

  /** True while a request newer than the shown answer is still out. */
  get pending(): boolean {
    return this.issued > this.shown;
  }

  /** Forgets outstanding requests (their answers will be refused). */
  invalidate(): void {
    this.shown = this.issued;
  }
}

/**
 * At most one task running at a time; a task asked for meanwhile waits for it, and can be
 * called off while it waits. For searches as you type: the core answers one request at a time,
 * so when each keystroke of a slow query sent its own request, the last keystroke's answer
 * waited behind every stale one. Callers call off a waiting task once a newer one replaces
 * it, so at most the latest waits and the stale queries in between are never run.
 */
export class OneAtATime {
  private running = false;
  private waiting: (() => Promise<unknown>) | null = null;

  /** Runs `task` now if nothing runs, else once the running one settles. Returns "call off". */
  run(task: () => Promise<unknown>): () => void {
    if (this.running) {
      this.waiting = task;
    } else {
      this.start(task);
    }
    return () => {
      if (this.waiting === task) this.waiting = null;
    };
  }

  private start(task: () => Promise<unknown>): void {
    this.running = true;
    const settle = () => {
      this.running = false;
      const next = this.waiting;
      this.waiting = null;
      if (next) this.start(next);
    };
    task().then(settle, settle);
  }
}

export interface Debounced<A extends unknown[]> {
  (...args: A): void;
  cancel(): void;
  /** Runs the pending call now, if any. */
  flush(): void;
}

/** Calls `fn` once calls have stopped for `ms` milliseconds, with the last arguments. */
export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number): Debounced<A> {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastArgs: A | null = null;
  const run = () => {
    timer = null;
    const args = lastArgs;
    lastArgs = null;
    if (args) fn(...args);
  };
  const debounced = ((...args: A) => {
    lastArgs = args;
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(run, ms);
  }) as Debounced<A>;
  debounced.cancel = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    lastArgs = null;
  };
  debounced.flush = () => {
    if (timer !== null) clearTimeout(timer);
    run();
  };
  return debounced;
}

/**
 * Search-as-you-type scheduling: a call that comes after `ms` without calls runs at once (the
 * first keystroke after a pause searches immediately); calls closer together than `ms` are held,
 * and the last of them runs once calls have stopped for `ms`. A plain trailing debounce made
 * every search wait `ms` after the last keystroke, even for someone typing slower than `ms`
 * per key, whose every keystroke was searched anyway.
 */
export function debounceLeading<A extends unknown[]>(fn: (...args: A) => void, ms: number): Debounced<A> {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let held: A | null = null;
  const quiet = () => {
    timer = null;
    const args = held;
    held = null;
    if (args) fn(...args);
  };
  const debounced = ((...args: A) => {
    if (timer === null) {
      fn(...args);
    } else {
      held = args;
      clearTimeout(timer);
    }
    // Measured from the latest call, run or held: "quiet" means no calls at all for `ms`.
    timer = setTimeout(quiet, ms);
  }) as Debounced<A>;
  debounced.cancel = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    held = null;
  };
  debounced.flush = () => {
    if (timer !== null) clearTimeout(timer);
    quiet();
  };
  return debounced;
}

/**
 * Calls `fn` at most once per `ms`, always delivering the latest value at the end of the
 * window (trailing), so the final position is never lost. Used for reading progress.
 */
export function throttle<A extends unknown[]>(fn: (...args: A) => void, ms: number): Debounced<A> {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastArgs: A | null = null;
  let lastRun = -Infinity;
  const run = () => {
    timer = null;
    lastRun = Date.now();
    const args = lastArgs;
    lastArgs = null;
    if (args) fn(...args);
  };
  const throttled = ((...args: A) => {
    lastArgs = args;
    if (timer !== null) return;
    const wait = Math.max(0, lastRun + ms - Date.now());
    timer = setTimeout(run, wait);
  }) as Debounced<A>;
  throttled.cancel = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    lastArgs = null;
  };
  throttled.flush = () => {
    if (timer !== null) clearTimeout(timer);
    run();
  };
  return throttled;
}
