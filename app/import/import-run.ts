/**
 * One import, end to end: detect the format, read the export item by item, store what needs no
 * network (content, bookmarks), hand URL items to the durable capture queue and wait for it.
 * Partial progress is kept: when the file turns out broken at line L, everything before L is
 * already stored (or queued and captured), and the error says so.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { createEventBus } from '../api/events.js';
import type { CaptureOptions } from '../capture/capture-options.js';
import type { ExtractionWorkers } from '../capture/extract-pool.js';
import { asFolioError } from '../core/errors.js';
import { normalizeTags } from '../core/query/tags.js';
import { createQueueRunner, type QueueRunner } from '../queue/runner.js';
import type { Archive } from '../store/archive.js';
import type { EnqueueItem } from '../store/queue-repo.js';
import { detectFormat } from './detect.js';
import { restoreFolioBackup } from './folio-backup.js';
import { ImportFormatError, storeOfflineItem, webUrl, type ImportFormat, type ImportItem, type ItemReport } from './import-items.js';
import { itemsOf } from './item-source.js';
import { inspectInput } from './read-input.js';

export interface ImportOptions {
  /** 'auto' (default): from the content. */
  format?: ImportFormat | 'auto';
  /** false (--no-fetch): URL items become bookmarks. Default true. */
  fetch?: boolean;
  /** Tags added to every imported item. */
  tags?: readonly string[];
  /** For the queued captures (fetch limits, private addresses…). */
  captureOptions?: CaptureOptions | (() => CaptureOptions);
  /** Queue concurrency (default: the runner's). */
  concurrency?: number;
  /** Where queued captures are extracted; without it, on this thread (slow, and it blocks). */
  extractPool?: ExtractionWorkers;
  /** Called once per item as its outcome is known. */
  onItem?: (report: ItemReport) => void;
  /** Called with the number of items read so far and settled so far. */
  onProgress?: (progress: { read: number; settled: number }) => void;
}

export interface ImportSummary {
  file: string;
  format: ImportFormat;
  items: number;
  saved: number;
  bookmarked: number;
  duplicate: number;
  skipped: number;
  failed: number;
  /** Seconds the import took. */
  seconds: number;
  /** Set when the export was broken part-way (the items before were imported). */
  error?: { code: string; message: string; line: number | null };
}

const ENQUEUE_BATCH = 200;
/**
 * Reading the export is a loop of awaits that resolve at once (microtasks), so the event loop
 * would not turn until the whole file was read: a 1,000-URL list held it 50 ms (checking each
 * URL against the archive and enqueueing), the first captures waited, and in `folio serve` or
 * the app every other call too. After this much time the loop yields one turn.
 */
const YIELD_AFTER_MS = 8;
/**
 * After storing this many items, the import ends by merging the full-text indexes
 * (Archive.optimizeSearchIndex): a bulk load leaves one FTS5 segment per batch, which every
 * search then reads. Measured at 10,000 articles: see optimizeSearchIndex's figures (issue #6).
 */
const OPTIMIZE_AFTER = 1000;

/**
 * Imports `file` into `archive`. Never changes an article already there. Resolves with the
 * summary even when the file is broken part-way (summary.error); rejects only when nothing could
 * be read at all (missing file, unknown format, over the size cap).
 */
export async function importFile(archive: Archive, file: string, opts: ImportOptions = {}): Promise<ImportSummary> {
  const started = Date.now();
  const info = inspectInput(file);
  const format = !opts.format || opts.format === 'auto' ? await detectFormat(info) : opts.format;
  const extraTags = normalizeTags(opts.tags ?? []);
  const summary: ImportSummary = { file: info.path, format, items: 0, saved: 0, bookmarked: 0, duplicate: 0, skipped: 0, failed: 0, seconds: 0 };
  let read = 0;
  const settle = (r: ItemReport): void => {
    summary.items++;
    if (r.status === 'saved') summary.saved++;
    else if (r.status === 'bookmarked') summary.bookmarked++;
    else if (r.status === 'duplicate') summary.duplicate++;
    else if (r.status === 'skipped') summary.skipped++;
    else if (r.status === 'failed') summary.failed++;
    opts.onItem?.(r);
    opts.onProgress?.({ read, settled: summary.items });
  };

  if (format === 'folio-json') {
    try {
      await restoreFolioBackup(archive, info, { extraTags, onItem: (r) => (read++, settle(r)) });
    } catch (err) {
      recordStop(summary, err);
    }
    optimizeAfterBulk(archive, summary);
    summary.seconds = (Date.now() - started) / 1000;
    return summary;
  }

  const queue = opts.fetch === false ? null : new QueuedImport(archive, opts, settle);
  let sliceStart = performance.now();
  try {
    for await (const item of itemsOf(format, info)) {
      if (performance.now() - sliceStart > YIELD_AFTER_MS) {
        await nextTurn();
        sliceStart = performance.now();
      }
      read++;
      const report = await storeOfflineItem(archive, item, {
        fetch: opts.fetch !== false,
        extraTags,
        file: info.path,
        ...(opts.extractPool ? { workers: opts.extractPool } : {}),
      }).catch(
        (err: unknown): ItemReport => ({ ...lineOf(item), url: item.url, status: 'failed', error: asFolioError(err).message }),
      );
      if (report) settle(report);
      else queue!.add(item, extraTags);
    }
  } catch (err) {
    recordStop(summary, err, read);
  } finally {
    await queue?.finish();
  }
  optimizeAfterBulk(archive, summary);
  summary.seconds = (Date.now() - started) / 1000;
  return summary;
}

/** Merges the search indexes after a large import (OPTIMIZE_AFTER). */
function optimizeAfterBulk(archive: Archive, summary: ImportSummary): void {
  if (summary.saved + summary.bookmarked < OPTIMIZE_AFTER) return;
  try {
    archive.optimizeSearchIndex();
  } catch {
    // Best effort: every item is already stored and searchable; merging only makes search
    // faster, and the next large import (or FTS5's own automerge) does it later.
  }
}

function recordStop(summary: ImportSummary, err: unknown, read?: number): void {
  const e = asFolioError(err);
  const line = err instanceof ImportFormatError ? err.line : null;
  const before = read ?? summary.items;
  const message =
    line !== null ? `imported ${before} items before line ${line}: ${e.message}` : before > 0 ? `imported ${before} items, then stopped: ${e.message}` : e.message;
  summary.error = { code: e.code, message, line };
}

function lineOf(item: ImportItem): { line?: number } {
  return item.line === undefined ? {} : { line: item.line };
}

/** URL items through the durable capture queue, reported as their jobs finish. */
class QueuedImport {
  private readonly runner: QueueRunner;
  private readonly pending: EnqueueItem[] = [];
  private readonly lines: (number | undefined)[] = [];
  /** jobId → where it came from; removed once reported. */
  private readonly jobs = new Map<number, { line?: number; url: string }>();
  private readonly batchId = `import-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly archive: Archive,
    opts: ImportOptions,
    private readonly settle: (r: ItemReport) => void,
  ) {
    const events = createEventBus();
    this.runner = createQueueRunner({
      archive,
      events,
      ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
      ...(opts.captureOptions ? { captureOptions: opts.captureOptions } : {}),
      ...(opts.extractPool ? { extractPool: opts.extractPool } : {}),
    });
    this.unsubscribe = events.on('queue.progress', ({ item }) => {
      if (item.status !== 'saved' && item.status !== 'duplicate' && item.status !== 'failed') return;
      const origin = this.jobs.get(item.jobId);
      if (!origin) return;
      this.jobs.delete(item.jobId);
      this.settle({
        ...origin,
        status: item.status,
        ...(item.articleId !== null ? { id: item.articleId } : {}),
        ...(item.status === 'failed' && item.error ? { error: item.error.message } : {}),
      });
    });
    this.runner.start();
  }

  add(item: ImportItem, extraTags: readonly string[]): void {
    const url = webUrl(item.url);
    if (url === null) {
      this.settle({ ...lineOf(item), url: item.url, status: 'skipped', error: 'not a web address (only http and https pages can be saved)' });
      return;
    }
    const existing = this.archive.findByUrl(url, { includeDeleted: true });
    if (existing !== null) {
      this.settle({ ...lineOf(item), url: item.url, status: 'duplicate', id: existing });
      return;
    }
    this.pending.push({
      input: item.url,
      batchId: this.batchId,
      options: {
        tags: normalizeTags([...item.tags, ...extraTags]),
        ...(item.savedAt ? { savedAt: item.savedAt } : {}),
        read: item.read ?? false,
        archived: item.archived ?? false,
        favorite: item.favorite ?? false,
        ...(item.title ? { title: item.title } : {}),
      },
    });
    this.lines.push(item.line);
    if (this.pending.length >= ENQUEUE_BATCH) this.flush();
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const items = this.pending.splice(0);
    const lines = this.lines.splice(0);
    // Register before the runner can report: enqueue announces and starts jobs synchronously.
    const jobs = this.archive.queue.enqueue(items);
    jobs.forEach((job, i) => {
      const origin = { ...(lines[i] === undefined ? {} : { line: lines[i] }), url: items[i]!.input };
      if (this.jobs.has(job.jobId) || job.status === 'saved' || job.status === 'duplicate') {
        // The same URL twice in one export: the first one's job covers it.
        this.settle({ ...origin, status: 'duplicate' });
      } else {
        this.jobs.set(job.jobId, origin);
      }
    });
    this.runner.kick();
  }

  async finish(): Promise<void> {
    this.flush();
    try {
      await this.runner.drain();
    } finally {
      this.unsubscribe();
      await this.runner.stop();
      // Jobs the runner could not finish (e.g. stopped): report them as they stand.
      for (const [jobId, origin] of this.jobs) {
        const job = this.archive.queue.getJob(jobId);
        this.settle({ ...origin, status: 'failed', error: job?.error?.message ?? `still ${job?.status ?? 'unknown'} in the capture queue; run the import again to resume` });
      }
      this.jobs.clear();
    }
  }
}

