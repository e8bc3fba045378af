import type Database from 'better-sqlite3';
import { startCheckpointer, type Checkpointer } from './checkpointer.js';
import type { ArchiveStats, ArticleDetail, ArticleFlags, ArticleSummary, ListPage, ListRequest } from '../core/article.js';
import type { Settings } from '../core/contract.js';
import type { Capture, ImageBlob } from '../core/types.js';
import {
  ArticlesRepo,
  type ArticleIterationFilter,
  type ArticleRecord,
  type BatchItemResult,
  type BookmarkInput,
  type CaptureToSave,
  type RecordToImport,
  type SaveOptions,
  type SaveResult,
} from './articles-repo.js';
import { StoreContext } from './context.js';
import { QueueRepo } from './queue-repo.js';
import { SearchRepo, type SearchOptions, type SearchPage } from './search.js';
import { SettingsRepo } from './settings-repo.js';

/**
 * One open archive file: the only way Folio reads or writes its data (no caller writes SQL).
 * Open it with `openArchive` (open-archive.ts). One instance per connection and per thread;
 * every method is synchronous (better-sqlite3) and every write is one transaction.
 *
 * Trashed articles (deleteArticles) are hidden from every method except restoreArticles,
 * purgeDeleted, replaceCapture and getArticle/findByUrl with `includeDeleted`.
 */
export class Archive {
  /** The durable capture queue (see queue-repo.ts). */
  readonly queue: QueueRepo;
  private readonly ctx: StoreContext;
  private readonly articles: ArticlesRepo;
  private readonly searchRepo: SearchRepo;
  private readonly settings: SettingsRepo;
  private closed = false;
  private checkpointer: Checkpointer | null = null;

  /** Use openArchive(); this constructor expects a connection already checked and migrated. */
  constructor(
    private readonly db: Database.Database,
    /** Absolute path of the archive file. */
    readonly path: string,
    readonly readonly: boolean,
    clock: () => Date = () => new Date(),
  ) {
    this.ctx = new StoreContext(db, path, clock);
    this.articles = new ArticlesRepo(this.ctx);
    this.searchRepo = new SearchRepo(this.ctx, this.articles);
    this.settings = new SettingsRepo(this.ctx);
    this.queue = new QueueRepo(this.ctx);
  }

  /** Closes the connection (idempotent). Lets SQLite refresh its planner statistics first. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.checkpointer?.stop();
    this.articles.close();
    if (!this.readonly) {
      try {
        this.db.pragma('optimize');
      } catch {
        // Best effort: another process holding the lock must not make close() fail.
      }
    }
    this.db.close();
  }

  /** Checkpoints the WAL from a thread of its own from now on (openArchive's backgroundCheckpoints). */
  checkpointInBackground(opts: { intervalMs?: number } = {}): void {
    if (this.readonly || this.closed || this.checkpointer) return;
    this.checkpointer = startCheckpointer(this.db, this.path, opts);
  }

  get isOpen(): boolean {
    return !this.closed && this.db.open;
  }

  // ── Saving ──────────────────────────────────────────────────────────────────────────────

  /**
   * Saves a captured article with its images. If an article with the same normalised URL
   * (requested, final or canonical) exists, nothing is stored and its id is returned with
   * `created: false` — except that a bookmark gets the content (`upgraded`) and a trashed
   * article comes back with it (`restored`). See SaveResult.
   */
  saveCapture(capture: Capture, blobs: readonly ImageBlob[], opts?: SaveOptions): SaveResult {
    return this.articles.saveCapture(capture, blobs, opts);
  }

  /**
   * Saves many captures in one transaction (bulk paths: imports that carry content), each item
   * exactly as saveCapture would — dedup also against earlier items of the batch — with one
   * result per item in input order. A failing item is reported (`ok: false`) and rolled back
   * alone (one SAVEPOINT per item); the others are saved. Several times faster than saveCapture
   * per item (issue #6); keep batches to a few hundred items (e.g. 200), as the write lock is
   * held for the whole batch. @throws only when the transaction itself cannot start or commit.
   */
  saveCaptures(items: readonly CaptureToSave[]): BatchItemResult[] {
    return this.articles.saveCaptures(items);
  }

  /**
   * Replaces an article's content with a fresh capture (refresh): body, original HTML, images
   * (those no article uses any more are deleted), search index. Keeps tags, states, progress
   * and saved date. @throws FolioError('NOT_FOUND')
   */
  replaceCapture(id: number, capture: Capture, blobs: readonly ImageBlob[]): ArticleDetail {
    return this.articles.replaceCapture(id, capture, blobs);
  }

  /**
   * Saves a URL without content (imports with --no-fetch): listed, and searchable by title and
   * URL. Deduplicated like saveCapture. @throws FolioError('INVALID_INPUT') for a non-URL.
   */
  addBookmark(input: BookmarkInput): SaveResult {
    return this.articles.addBookmark(input);
  }

  /**
   * Restores one article of a Folio backup verbatim — every field including updatedAt, states,
   * progress, tags, images (verified by hash) and original HTML — in one transaction. For backup
   * restore only. `duplicate` (nothing changed) when one of its URLs is already in the archive,
   * even in the trash. @throws FolioError('INVALID_INPUT') for a bad URL or date, 'INTERNAL' for
   * image bytes that do not match their hash.
   */
  importRecord(record: ArticleRecord, blobs: readonly ImageBlob[]): SaveResult {
    return this.articles.importRecord(record, blobs);
  }

  /**
   * importRecord for many records in one transaction (backup restore), with the per-item
   * semantics and results of saveCaptures.
   */
  importRecords(items: readonly RecordToImport[]): BatchItemResult[] {
    return this.articles.importRecords(items);
  }

  // ── Reading ─────────────────────────────────────────────────────────────────────────────

  /** The article answering to this URL once normalised (requested, final or canonical URL). */
  findByUrl(url: string, opts?: { includeDeleted?: boolean }): number | null {
    return this.articles.findByUrl(url, opts);
  }

  getArticle(id: number, opts?: { includeDeleted?: boolean }): ArticleDetail | null {
    return this.articles.get(id, opts);
  }

  /** The page's HTML as originally fetched (decompressed), or null. */
  getOriginalHtml(id: number): string | null {
    return this.articles.originalHtml(id);
  }

  /** Image bytes by SHA-256 (the `folio-asset:<sha256>` references in article HTML). */
  getImage(sha256: string): { type: string; data: Buffer } | null {
    return this.articles.images.get(sha256);
  }

  /** A page of live articles; default sort saved date, newest first; limit 50 (max 500). */
  listArticles(req: ListRequest = {}): ListPage<ArticleSummary> {
    return this.articles.list(req);
  }

  /**
   * Full-text search with Folio's query language (app/core/query/parse-query.ts). Never
   * throws on any query text; an empty query matches nothing. Limit 50 (max 200).
   */
  search(query: string, opts?: SearchOptions): SearchPage {
    return this.searchRepo.search(query, opts);
  }

  /** Every matching live article in id order, loaded one at a time (exports). */
  iterateArticles(filter?: ArticleIterationFilter): Generator<ArticleDetail> {
    return this.articles.iterate(filter);
  }

  /** Tags used by live articles, with counts, by name. */
  listTags(): { tag: string; count: number }[] {
    return this.articles.tags.list();
  }

  /** Hosts (without www.) of live articles, with counts, most articles first. */
  listSites(): { site: string; count: number }[] {
    return this.articles.sites();
  }

  /**
   * Counts over live articles: `articles` captured ones, `bookmarks` the rest; `unread`,
   * `archived`, `favorites` over both. `fileBytes` is the database size (pages in use or free).
   * `queue.done` = saved + duplicate jobs.
   */
  stats(): ArchiveStats {
    return this.ctx.read(() => {
      const a = this.ctx
        .stmt<{ articles: number; bookmarks: number; unread: number; archived: number; favorites: number }>(
          `SELECT coalesce(sum(status = 'captured'), 0) AS articles, coalesce(sum(status = 'bookmark'), 0) AS bookmarks,
                  coalesce(sum(is_read = 0), 0) AS unread, coalesce(sum(is_archived), 0) AS archived,
                  coalesce(sum(is_favorite), 0) AS favorites
             FROM articles WHERE deleted_at IS NULL`,
        )
        .get()!;
      const i = this.ctx
        .stmt<{ images: number; bytes: number }>('SELECT count(*) AS images, coalesce(sum(bytes), 0) AS bytes FROM images')
        .get()!;
      const tags = this.ctx.stmt<{ n: number }>('SELECT count(*) AS n FROM tags').get()!.n;
      const q = this.queue.status(1);
      const pageCount = this.db.pragma('page_count', { simple: true }) as number;
      const pageSize = this.db.pragma('page_size', { simple: true }) as number;
      return {
        ...a,
        tags,
        images: i.images,
        imageBytes: i.bytes,
        fileBytes: pageCount * pageSize,
        queue: { pending: q.pending, running: q.running, failed: q.failed, done: q.saved + q.duplicate },
      };
    });
  }

  // ── Changing ────────────────────────────────────────────────────────────────────────────

  /** Replaces an article's tags (normalised: see app/core/query/tags.ts). @throws NOT_FOUND */
  setTags(id: number, tags: readonly string[]): ArticleSummary {
    return this.articles.setTags(id, tags);
  }

  /** Adds tags to live articles; returns how many articles gained a tag. */
  addTags(ids: readonly number[], tags: readonly string[]): number {
    return this.articles.addTags(ids, tags);
  }

  /** Removes tags from live articles; returns how many articles lost a tag. */
  removeTags(ids: readonly number[], tags: readonly string[]): number {
    return this.articles.removeTags(ids, tags);
  }

  /** Sets the given flags on live articles; returns how many rows were updated. */
  setFlags(ids: readonly number[], flags: Partial<ArticleFlags>): number {
    return this.articles.setFlags(ids, flags);
  }

  /** Reading progress, clamped to 0..1. @throws NOT_FOUND, INVALID_INPUT (NaN) */
  setProgress(id: number, progress: number): void {
    this.articles.setProgress(id, progress);
  }

  /** Moves articles to the trash (soft delete); returns how many moved. */
  deleteArticles(ids: readonly number[]): number {
    return this.articles.trash(ids);
  }

  /** Takes articles out of the trash; returns how many. */
  restoreArticles(ids: readonly number[]): number {
    return this.articles.restore(ids);
  }

  /**
   * Deletes for good what was trashed before `olderThanIso` (everything trashed without it),
   * and the images no remaining article uses.
   */
  purgeDeleted(olderThanIso?: string): { articles: number; images: number } {
    return this.articles.purgeTrash(olderThanIso);
  }

  getSettings(): Settings {
    return this.settings.get();
  }

  /** @throws FolioError('INVALID_INPUT') for an unknown key or a bad value (nothing changes). */
  updateSettings(partial: Partial<Settings>): Settings {
    return this.settings.update(partial);
  }

  // ── Maintenance ─────────────────────────────────────────────────────────────────────────

  /** The connection's settings and the schema version, for diagnostics (`folio doctor`) and tests. */
  connectionInfo(): { schemaVersion: number; journalMode: string; foreignKeys: boolean; busyTimeoutMs: number; synchronous: string } {
    const synchronous = ['OFF', 'NORMAL', 'FULL', 'EXTRA'][this.db.pragma('synchronous', { simple: true }) as number] ?? 'unknown';
    return {
      schemaVersion: this.db.pragma('user_version', { simple: true }) as number,
      journalMode: String(this.db.pragma('journal_mode', { simple: true })),
      foreignKeys: this.db.pragma('foreign_keys', { simple: true }) === 1,
      busyTimeoutMs: this.db.pragma('busy_timeout', { simple: true }) as number,
      synchronous,
    };
  }

  /**
   * Merges each full-text index into a single b-tree (FTS5 'optimize') and refreshes the
   * planner statistics (PRAGMA optimize). Worth it after a bulk load: a query then reads one
   * segment per term instead of one per batch. Search results do not change. Takes a few
   * seconds at 10,000 articles and holds the write lock meanwhile: call it at the end of a
   * large import, not after every save.
   */
  optimizeSearchIndex(): void {
    this.ctx.write(() => {
      for (const index of ['article_fts', 'article_trigram']) {
        this.db.prepare(`INSERT INTO ${index} (${index}) VALUES ('optimize')`).run();
      }
    });
    this.db.pragma('optimize');
  }

  /** SQLite's query plan for listArticles(req), one line per step. */
  explainList(req: ListRequest = {}): string[] {
    return this.articles.explainList(req);
  }

  /** SQLite's query plan for search(query). */
  explainSearch(query: string): string[] {
    return this.searchRepo.explain(query);
  }

  /**
   * Checks the file: SQLite's quick_check, foreign keys, and both full-text indexes against
   * their content. Returns the problems found; [] means healthy.
   */
  checkIntegrity(): string[] {
    const problems: string[] = [];
    for (const row of this.db.pragma('quick_check') as { quick_check: string }[]) {
      if (row.quick_check !== 'ok') problems.push(`quick_check: ${row.quick_check}`);
    }
    for (const row of this.db.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[]) {
      problems.push(`foreign key: ${row.table} row ${row.rowid} points to a missing ${row.parent}`);
    }
    if (!this.readonly) {
      for (const index of ['article_fts', 'article_trigram']) {
        try {
          // rank = 1 also compares the index with its external content table.
          this.ctx.write(() => this.db.prepare(`INSERT INTO ${index} (${index}, rank) VALUES ('integrity-check', 1)`).run());
        } catch (err) {
          problems.push(`${index}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    }
    return problems;
  }
}
