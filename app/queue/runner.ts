/**
 * The capture queue runner: takes jobs from the archive's durable queue (app/store/queue-repo.ts),
 * runs the capture pipeline on them with bounded concurrency (overall and per host), stores the
 * results, and retries transient failures with backoff. Every job ends saved, duplicate or
 * failed with a reason.
 *
 * The queue lives in the archive file, not in memory: a process that dies mid-batch leaves its
 * jobs there, and the next runner (start() → requeueRunning) finishes them. The article is saved
 * in one store transaction and the job marked done right after; a crash between the two makes
 * the retry find the article and end as `duplicate`, never store it twice.
 */
import type { EventBus } from '../api/events.js';
import type { CaptureOptions } from '../capture/capture-options.js';
import type { ExtractionWorkers } from '../capture/extract-pool.js';
import type { CaptureResult } from '../capture/pipeline.js';
import type { QueueItem, QueueStatus } from '../core/contract.js';
import { asFolioError, FolioError } from '../core/errors.js';
import type { Archive } from '../store/archive.js';
import type { EnqueueItem, QueueJob } from '../store/queue-repo.js';
import { DEFAULT_BACKOFF, type Backoff } from './backoff.js';
import { captureOptionsFromSettings } from './capture-settings.js';
import { createHostLimiter } from './host-limiter.js';

export interface QueueRunnerOptions {
  archive: Archive;
  /** Receives queue.progress on every job state change and library.changed after saves. */
  events?: EventBus;
  /** Captures running at once, all hosts together. Default 4. */
  concurrency?: number;
  /** Captures running at once against one host. Default 2. */
  perHost?: number;
  /** Attempts of a job whose failures are transient, before it is failed. Default 4. */
  maxAttempts?: number;
  /** Delay before a retry (default ≈ 1 s, 4 s, 16 s with jitter). */
  backoff?: Backoff;
  /**
   * Capture options, or a function returning them (read per job). They are laid over the
   * archive's settings (renderMode, allowPrivateAddresses), also read per job, so a settings
   * change applies to the next capture. A job's own `render` option wins over both.
   */
  captureOptions?: CaptureOptions | (() => CaptureOptions);
  /** Extraction off the main thread; without it, extraction runs in this thread. */
  extractPool?: ExtractionWorkers;
}

export interface QueueRunner {
  /** Puts crashed jobs back (requeueRunning) and begins claiming. Idempotent. */
  start(): void;
  /** Queues inputs (announcing each as pending) and wakes the runner. */
  enqueue(items: readonly EnqueueItem[]): QueueJob[];
  /** Look for due jobs now (after jobs were queued or retried elsewhere). */
  kick(): void;
  /**
   * Resolves when nothing is pending or running any more (waiting out retry delays), or once
   * stop() has let the running captures end. Starts the runner if needed. Rejects if the
   * archive itself fails (e.g. it was closed under the runner).
   */
  drain(): Promise<void>;
  /**
   * Stops claiming jobs. Running captures finish and are stored; with `cancelRunning` they are
   * aborted instead and go back to pending for the next run. Resolves when none is running
   * (and the shared rendering browser, if one was started, is closed).
   */
  stop(opts?: { cancelRunning?: boolean }): Promise<void>;
  /** Captures in progress now. */
  readonly active: number;
}

type FinalStatus = 'saved' | 'duplicate';

export function createQueueRunner(options: QueueRunnerOptions): QueueRunner {
  const { archive, events } = options;
  const concurrency = positive('concurrency', options.concurrency ?? 4);
  const maxAttempts = positive('maxAttempts', options.maxAttempts ?? 4);
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const hosts = createHostLimiter(options.perHost ?? 2);
  const inFlight = new Map<number, { job: QueueJob; controller: AbortController; done: Promise<void> }>();
  let started = false;
  let stopped = false;
  let fatal: unknown = null;
  let timer: NodeJS.Timeout | null = null;
  let waiters: { resolve: () => void; reject: (err: unknown) => void }[] = [];
  // Loaded on first use: jsdom and playwright-core are heavy, and handlers are built at start-up.
  let pipeline: Promise<typeof import('../capture/pipeline.js')> | null = null;

  /** The caller's options over the archive's settings (render mode, private addresses). */
  function baseCaptureOptions(): CaptureOptions {
    const o = options.captureOptions;
    return captureOptionsFromSettings(archive.getSettings(), (typeof o === 'function' ? o() : o) ?? {});
  }

  function counts(): Omit<QueueStatus, 'items'> {
    const { items: _items, ...rest } = archive.queue.status(1);
    return rest;
  }

  function announce(job: QueueJob): void {
    if (!events) return;
    events.emit('queue.progress', { item: toQueueItem(job), status: counts() });
  }

  function changed(ids: number[]): void {
    events?.emit('library.changed', { ids });
  }

  function pump(): void {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    if (!started || stopped || fatal) {
      settle();
      return;
    }
    try {
      // One instant for both questions ("what is due?", "when is the next one due?"). Read
      // twice, a retry falling due between the two reads looked blocked by its host's limit, so
      // no timer was set and, with nothing running, the runner never woke (drain() hung).
      const at = new Date().toISOString();
      while (inFlight.size < concurrency) {
        const job = archive.queue.claimNext(at, { excludeHosts: hosts.saturated() });
        if (!job) break;
        launch(job);
      }
      scheduleNextDue(at);
    } catch (err) {
      // The archive itself failed (closed, disk full…): nothing sensible can run any more.
      fatal = err;
    }
    settle();
  }

  /**
   * Wakes up when the earliest retry is due (only when there is a free slot to use it). `at` is
   * the instant claimNext looked at, so a job due by then and not claimed is one blocked by
   * its host's limit, and a running job of that host pumps again when it finishes.
   */
  function scheduleNextDue(at: string): void {
    if (inFlight.size >= concurrency) return;
    const due = archive.queue.nextDueAt(at);
    if (due === null) return;
    const wait = Date.parse(due) - Date.parse(at);
    if (wait <= 0) return;
    timer = setTimeout(pump, Math.min(wait + 5, 2 ** 31 - 1));
  }

  function idle(): boolean {
    if (inFlight.size > 0) return false;
    return stopped || fatal !== null || archive.queue.nextDueAt() === null;
  }

  function settle(): void {
    if (waiters.length === 0) return;
    let ready: boolean;
    try {
      ready = idle();
    } catch (err) {
      fatal ??= err;
      ready = true;
    }
    if (!ready) return;
    const list = waiters;
    waiters = [];
    for (const w of list) (fatal ? w.reject(fatal) : w.resolve());
  }

  function launch(job: QueueJob): void {
    hosts.acquire(job.host);
    const controller = new AbortController();
    announce(job);
    const done = runJob(job, controller.signal)
      .catch((err: unknown) => {
        // Only the archive failing gets here (runJob turns capture errors into job failures).
        fatal ??= err;
      })
      .finally(() => {
        inFlight.delete(job.jobId);
        hosts.release(job.host);
        pump();
      });
    inFlight.set(job.jobId, { job, controller, done });
  }

  async function runJob(job: QueueJob, signal: AbortSignal): Promise<void> {
    const refreshId = job.options.refreshArticleId;
    if (refreshId === undefined) {
      const existing = archive.findByUrl(job.url);
      if (existing !== null) return finishDuplicate(job, existing);
    }
    let result: CaptureResult;
    try {
      pipeline ??= import('../capture/pipeline.js');
      const { captureInput } = await pipeline;
      result = await captureInput(job.input, optionsFor(job, signal));
    } catch (err) {
      return failed(job, asFolioError(err, 'INTERNAL'), signal);
    }
    try {
      if (refreshId !== undefined) {
        archive.replaceCapture(refreshId, result.capture, result.blobs);
        complete(job, 'saved', refreshId);
        changed([refreshId]);
        return;
      }
      const o = job.options;
      const saved = archive.saveCapture(result.capture, result.blobs, {
        tags: o.tags,
        savedAt: o.savedAt,
        read: o.read,
        archived: o.archived,
        favorite: o.favorite,
      });
      if (saved.outcome === 'duplicate') return finishDuplicate(job, saved.id);
      complete(job, 'saved', saved.id);
      changed([saved.id]);
    } catch (err) {
      // The store refused this capture (bad import date, article gone for a refresh, the file
      // locked by another program past its busy timeout…). If the archive is unusable, recording
      // the failure throws too, and the runner stops (see launch).
      return failed(job, storeError(err, job), signal);
    }
  }

  /** Already in the archive: the job points at that article; tags asked for are added to it. */
  function finishDuplicate(job: QueueJob, articleId: number): void {
    const tags = job.options.tags ?? [];
    const gained = tags.length > 0 ? archive.addTags([articleId], tags) : 0;
    complete(job, 'duplicate', articleId);
    if (gained > 0) changed([articleId]);
  }

  function complete(job: QueueJob, status: FinalStatus, articleId: number): void {
    announce(archive.queue.completeJob(job.jobId, { status, articleId }));
  }

  function failed(job: QueueJob, error: FolioError, signal: AbortSignal): void {
    if (signal.aborted) {
      // Cancelled by stop(): not the page's fault; the next run takes it up again.
      announce(archive.queue.failJob(job.jobId, { code: 'CANCELLED', message: `${job.input}: capture interrupted; it will resume` }, { retryAt: new Date().toISOString() }));
      return;
    }
    if (error.transient && job.attempts < maxAttempts) {
      const retryAt = new Date(Date.now() + backoff(job.attempts)).toISOString();
      announce(archive.queue.failJob(job.jobId, error.toJSON(), { retryAt }));
      return;
    }
    const message = error.transient ? `${error.message} (gave up after ${job.attempts} attempts)` : error.message;
    announce(archive.queue.failJob(job.jobId, { code: error.code, message }));
  }

  function optionsFor(job: QueueJob, signal: AbortSignal): CaptureOptions {
    const base = baseCaptureOptions();
    return {
      ...base,
      render: job.options.render ?? base.render,
      signal,
      // The queue stores what it captures: compress the original off the event loop meanwhile.
      compressOriginal: true,
      extract: options.extractPool ? (html, url) => options.extractPool!.extract(html, url) : base.extract,
      images: options.extractPool ? { ...base.images, dom: options.extractPool.imageDom } : base.images,
    };
  }

  return {
    start() {
      if (started) return;
      started = true;
      stopped = false;
      archive.queue.requeueRunning();
      pump();
    },
    enqueue(items) {
      const jobs = archive.queue.enqueue(items);
      for (const job of jobs) if (!inFlight.has(job.jobId)) announce(job);
      pump();
      return jobs;
    },
    kick() {
      pump();
    },
    drain() {
      if (!started) this.start();
      return new Promise<void>((resolve, reject) => {
        waiters.push({ resolve, reject });
        settle();
      });
    },
    async stop(opts = {}) {
      stopped = true;
      if (timer) {
        clearTimeout(timer);
        timer = null;
      }
      const running = [...inFlight.values()];
      if (opts.cancelRunning) for (const r of running) r.controller.abort(new FolioError('CANCELLED', 'Folio is stopping'));
      await Promise.all(running.map((r) => r.done));
      // The shared browser (started only if a page needed rendering) would keep the process alive.
      if (pipeline) await (await pipeline).closeRenderer();
      settle();
    },
    get active() {
      return inFlight.size;
    },
  };
}

/** The contract's view of a job (QueueJob carries scheduler fields the UI has no use for). */
export function toQueueItem(job: QueueJob): QueueItem {
  return {
    jobId: job.jobId,
    url: job.url,
    status: job.status,
    attempts: job.attempts,
    articleId: job.articleId,
    error: job.error,
    updatedAt: job.updatedAt,
  };
}

/** SQLite's "busy"/"locked" (another writer held the file too long) is worth a retry. */
function storeError(err: unknown, job: QueueJob): FolioError {
  if (err instanceof FolioError) return err;
  const code = (err as { code?: unknown }).code;
  const message = err instanceof Error ? err.message : String(err);
  const busy = typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(code);
  return new FolioError('INTERNAL', `${job.input}: the capture could not be stored (${message})`, { transient: busy, cause: err });
}

function positive(name: string, n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${name} must be a whole number ≥ 1, got ${n}`);
  return n;
}
