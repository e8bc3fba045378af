import type { QueueItem, QueueItemStatus, QueueStatus } from '../core/contract.js';
import { FolioError } from '../core/errors.js';
import type { RenderMode } from '../core/types.js';
import { siteHost, stripCredentials, tryNormalizeUrl } from '../core/url-normalize.js';
import type { StoreContext } from './context.js';

/** What a job carries from the request (or import) to the capture and the save. */
export interface QueueJobOptions {
  tags?: string[];
  render?: RenderMode;
  /** Imports: the original save date and states. */
  savedAt?: string;
  read?: boolean;
  archived?: boolean;
  favorite?: boolean;
  /** Imports: a title to use if the page cannot be fetched. */
  title?: string;
  /** Re-capture this existing article instead of saving a new one. */
  refreshArticleId?: number;
}

export interface EnqueueItem {
  /** A URL or a file path, as given. */
  input: string;
  options?: QueueJobOptions;
  /** Groups the jobs of one request or import, for progress reporting. */
  batchId?: string;
}

/** A queue row: the contract's QueueItem plus what the scheduler needs. */
export interface QueueJob extends QueueItem {
  input: string;
  /** Lower-case host of the URL ('' for a file), for per-host concurrency limits. */
  host: string;
  options: QueueJobOptions;
  batchId: string | null;
  /** When a retry is due (ISO 8601); null = now. */
  nextAttemptAt: string | null;
  createdAt: string;
}

interface QueueRow {
  id: number;
  input: string;
  url: string | null;
  host: string;
  status: QueueItemStatus;
  attempts: number;
  next_attempt_at: string | null;
  last_error_code: string | null;
  last_error_message: string | null;
  article_id: number | null;
  options: string;
  batch_id: string | null;
  created_at: string;
  updated_at: string;
}

const ACTIVE = `('pending', 'running')`;

/**
 * The durable capture queue. Jobs move pending → running (claimNext) → saved | duplicate
 * (completeJob) or failed / back to pending with a retry time (failJob). A process that dies
 * leaves its jobs `running`; requeueRunning at startup puts them back.
 */
export class QueueRepo {
  constructor(private readonly ctx: StoreContext) {}

  /**
   * Adds jobs, one per item, in order. An input already pending or running (same normalised
   * URL, or same path) is not queued twice: its existing job is returned in its place.
   */
  enqueue(items: readonly EnqueueItem[]): QueueJob[] {
    const prepared = items.map((item) => {
      const input = stripCredentials(String(item.input ?? '').trim());
      if (input === '') throw new FolioError('INVALID_INPUT', 'Cannot queue an empty input; give a URL or a file path.');
      const url = tryNormalizeUrl(input);
      return { input, url, key: url ?? input, host: url ? siteHost(url) : '', options: item.options ?? {}, batchId: item.batchId ?? null };
    });
    return this.ctx.write(() => {
      const now = this.ctx.now();
      const active = this.ctx.stmt<QueueRow>(`SELECT * FROM capture_queue WHERE dedup_key = ? AND status IN ${ACTIVE}`);
      const insert = this.ctx.stmt<QueueRow>(
        `INSERT INTO capture_queue (input, url, dedup_key, host, status, options, batch_id, created_at, updated_at)
         VALUES (?, ?, ?, ?, 'pending', ?, ?, ?, ?) RETURNING *`,
      );
      return prepared.map((p) => {
        const existing = active.get(p.key);
        if (existing) return toJob(existing);
        return toJob(insert.get(p.input, p.url, p.key, p.host, JSON.stringify(p.options), p.batchId, now, now)!);
      });
    });
  }

  /**
   * Atomically takes the oldest due pending job (not for one of `excludeHosts`), marks it
   * running and counts the attempt. Null when nothing is due.
   */
  claimNext(now: string = this.ctx.now(), opts: { excludeHosts?: readonly string[] } = {}): QueueJob | null {
    const at = new Date(now).toISOString();
    const row = this.ctx.write(() =>
      this.ctx
        .stmt<QueueRow>(
          `UPDATE capture_queue SET status = 'running', attempts = attempts + 1, updated_at = @at
            WHERE id = (SELECT id FROM capture_queue
                         WHERE status = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= @at)
                           AND host NOT IN (SELECT value FROM json_each(@hosts))
                         ORDER BY id LIMIT 1)
           RETURNING *`,
        )
        .get({ at, hosts: JSON.stringify((opts.excludeHosts ?? []).map((h) => h.toLowerCase())) }),
    );
    return row ? toJob(row) : null;
  }

  /**
   * When the next pending job becomes due (null: none waiting; `now` or earlier: due now). A job
   * with no retry time is due at `now`: pass the instant claimNext was given, so the caller can
   * tell "due, but not claimed" from "due later".
   */
  nextDueAt(now: string = this.ctx.now()): string | null {
    const row = this.ctx
      .stmt<{ due: string | null; n: number }>(
        `SELECT min(coalesce(next_attempt_at, '')) AS due, count(*) AS n FROM capture_queue WHERE status = 'pending'`,
      )
      .get()!;
    if (row.n === 0) return null;
    return row.due === '' || row.due === null ? now : row.due;
  }

  completeJob(id: number, result: { status: 'saved' | 'duplicate'; articleId: number }): QueueJob {
    return this.update(
      id,
      `status = @status, article_id = @articleId, next_attempt_at = NULL, last_error_code = NULL, last_error_message = NULL`,
      { status: result.status, articleId: result.articleId },
    );
  }

  /**
   * Records a failure. With `retryAt` the job goes back to pending, due then (the error stays
   * visible meanwhile); without, it is failed until retryJobs.
   */
  failJob(id: number, err: { code: string; message: string }, opts: { retryAt?: string } = {}): QueueJob {
    const retryAt = opts.retryAt === undefined ? null : new Date(opts.retryAt).toISOString();
    return this.update(
      id,
      `status = @status, next_attempt_at = @retryAt, last_error_code = @code, last_error_message = @message`,
      { status: retryAt ? 'pending' : 'failed', retryAt, code: String(err.code), message: String(err.message) },
    );
  }

  /**
   * Puts jobs left `running` by a process that died back to pending (call once at startup,
   * before any scheduler runs). Their attempt stays counted, so a page that crashes Folio
   * every time ends up failed instead of looping. Returns how many.
   */
  requeueRunning(): number {
    return this.ctx.write(
      () =>
        this.ctx
          .stmt(`UPDATE capture_queue SET status = 'pending', updated_at = ? WHERE status = 'running'`)
          .run(this.ctx.now()).changes,
    );
  }

  /** Failed jobs back to pending, attempts reset. Jobs whose input is queued again meanwhile are skipped. */
  retryJobs(ids: readonly number[]): number {
    return this.ctx.write(
      () =>
        this.ctx
          .stmt(
            `UPDATE OR IGNORE capture_queue SET status = 'pending', attempts = 0, next_attempt_at = NULL,
               last_error_code = NULL, last_error_message = NULL, updated_at = ?
              WHERE id IN (SELECT value FROM json_each(?)) AND status = 'failed'`,
          )
          .run(this.ctx.now(), JSON.stringify(ids)).changes,
    );
  }

  /** Deletes finished jobs (saved, duplicate; failed too with includeFailed). Returns how many. */
  clearFinished(opts: { includeFailed?: boolean } = {}): number {
    const statuses = opts.includeFailed ? `('saved', 'duplicate', 'failed')` : `('saved', 'duplicate')`;
    return this.ctx.write(() => this.ctx.stmt(`DELETE FROM capture_queue WHERE status IN ${statuses}`).run().changes);
  }

  getJob(id: number): QueueJob | null {
    const row = this.ctx.stmt<QueueRow>('SELECT * FROM capture_queue WHERE id = ?').get(id);
    return row ? toJob(row) : null;
  }

  /** Counts per status and the `limit` most recently changed jobs. */
  status(limit = 100): Omit<QueueStatus, 'items'> & { items: QueueJob[] } {
    return this.ctx.read(() => {
      const counts = { pending: 0, running: 0, saved: 0, duplicate: 0, failed: 0 };
      const rows = this.ctx
        .stmt<{ status: QueueItemStatus; n: number }>('SELECT status, count(*) AS n FROM capture_queue GROUP BY status')
        .all();
      for (const r of rows) counts[r.status] = r.n;
      const n = Math.min(1000, Math.max(1, Math.trunc(limit) || 1));
      const items = this.ctx
        .stmt<QueueRow>('SELECT * FROM capture_queue ORDER BY updated_at DESC, id DESC LIMIT ?')
        .all(n)
        .map(toJob);
      return { ...counts, items };
    });
  }

  private update(id: number, sets: string, params: Record<string, unknown>): QueueJob {
    const row = this.ctx.write(() =>
      this.ctx
        .stmt<QueueRow>(`UPDATE capture_queue SET ${sets}, updated_at = @now WHERE id = @id RETURNING *`)
        .get({ ...params, now: this.ctx.now(), id }),
    );
    if (!row) {
      throw new FolioError('NOT_FOUND', `There is no capture job ${id} in ${this.ctx.path}; it may have been cleared from the queue.`);
    }
    return toJob(row);
  }
}

function toJob(row: QueueRow): QueueJob {
  return {
    jobId: row.id,
    url: row.url ?? row.input,
    status: row.status,
    attempts: row.attempts,
    articleId: row.article_id,
    error: row.last_error_code ? { code: row.last_error_code, message: row.last_error_message ?? '' } : null,
    updatedAt: row.updated_at,
    input: row.input,
    host: row.host,
    options: parseOptions(row.options),
    batchId: row.batch_id,
    nextAttemptAt: row.next_attempt_at,
    createdAt: row.created_at,
  };
}

function parseOptions(json: string): QueueJobOptions {
  try {
    const v = JSON.parse(json) as unknown;
    return v && typeof v === 'object' ? (v as QueueJobOptions) : {};
  } catch {
    return {};
  }
}
