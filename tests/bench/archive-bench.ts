import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openArchive } from '../../app/store/open-archive.js';
import type { CaptureToSave } from '../../app/store/articles-repo.js';
import type { ImageBlob } from '../../app/core/types.js';
import { articleHtml, makeCapture, makeImageBlob } from '../helpers/make-capture.js';
import type { TextSource } from './corpus.js';
import { unspacedRuns } from '../../app/core/query/scripts.js';
import { siteHost } from '../../app/core/url-normalize.js';
import { round, summarize } from './stats.js';

/**
 * Store: articles/s into a real archive file (FTS and trigram indexes, images, tags included),
 * measured three ways in the same run:
 *   - articles_per_s: the bulk path imports use (Archive.saveCaptures, BATCH per transaction).
 *     This builds the archive the search, UI and export sections read. Its time includes a
 *     final WAL checkpoint (checkpoint_s), so that no write is left for later; it ends with
 *     optimizeSearchIndex(), timed separately (optimize_s), as a large import does.
 *   - single_save_per_s: Archive.saveCapture per article, one transaction each (the capture
 *     queue's path), over the first SINGLE_MAX articles into a separate, fresh file.
 *   - baseline_raw_insert_per_s: raw INSERTs of the same title+text into a bare table.
 *   - floor_search_rows_per_s: an upper bound rather than a baseline (searchRowsFloor).
 * Only the store calls are timed: building the inputs (text, HTML, image refs) is not storing.
 */
export interface StoreResult {
  articles: number;
  articles_per_s: number;
  batch_size: number;
  /** Per article, from each batch's time divided by its size. */
  per_article_ms: ReturnType<typeof summarize>;
  optimize_s: number;
  /** The final WAL checkpoint of the bulk load, included in articles_per_s. */
  checkpoint_s: number;
  single_save_per_s: number;
  single_articles: number;
  single_per_article_ms: ReturnType<typeof summarize>;
  baseline_raw_insert_per_s: number;
  floor_search_rows_per_s: number;
  file_mb: number;
}

const SITES = ['example.com', 'news.example.org', 'blog.example.net', 'journal.example.edu', 'daily.example.co.uk'];
const TAGS = ['research', 'to-read', 'history', 'science', 'travel', 'cooking', 'programming'];
/** Items per transaction, as app/import/folio-backup.ts batches a restore. */
const BATCH = 200;
/** Single saves run ~5x slower than batches: a sample of this size keeps the section short at 100k. */
const SINGLE_MAX = 5000;

/** Copies what the WAL holds into the database file (from a second connection); returns the ms it took. */
function checkpoint(file: string): number {
  const t0 = performance.now();
  const db = new Database(file);
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
  return performance.now() - t0;
}

export function buildArchive(path: string, n: number, source: TextSource): StoreResult {
  const shared: ImageBlob[] = Array.from({ length: 200 }, (_, i) => makeImageBlob(i + 1));
  const input = (i: number): CaptureToSave => {
    const paragraphs = source.paragraphs(i);
    const text = paragraphs.join('\n\n');
    const blobs = [shared[i % shared.length]!, shared[(i * 7 + 3) % shared.length]!];
    const made = makeCapture({ seed: i + 1, host: SITES[i % SITES.length]!, blobs, text, title: source.title(i) });
    made.capture.html = articleHtml(text, made.capture.images);
    made.capture.wordCount = text.split(/\s+/).length;
    return {
      capture: made.capture,
      blobs: made.blobs,
      options: {
        tags: [TAGS[i % TAGS.length]!],
        savedAt: new Date(Date.UTC(2021, 0, 1) + i * 3_600_000).toISOString(),
        read: i % 3 === 0,
        favorite: i % 11 === 0,
        archived: i % 5 === 0,
      },
    };
  };

  // The bulk path, which builds the archive the other sections read.
  // Opened as `folio import` (restoring a backup) and the app open it: WAL checkpoints on their own thread.
  const archive = openArchive(path, { backgroundCheckpoints: true });
  const samples: number[] = [];
  let storeMs = 0;
  let optimizeMs = 0;
  let checkpointMs = 0;
  try {
    for (let start = 0; start < n; start += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, n - start) }, (_, k) => input(start + k));
      const t0 = performance.now();
      const results = archive.saveCaptures(batch);
      const ms = performance.now() - t0;
      storeMs += ms;
      samples.push(ms / batch.length);
      const failed = results.find((r) => !r.ok);
      if (failed && !failed.ok) throw new Error(`bench article failed to save: ${failed.error.message}`);
    }
    // What the batches left in the WAL is part of storing them: copied into the database file
    // here (as the next automatic checkpoint or closing the archive would), and timed with them.
    checkpointMs = checkpoint(path);
    storeMs += checkpointMs;
    const t0 = performance.now();
    archive.optimizeSearchIndex();
    optimizeMs = performance.now() - t0;
  } finally {
    archive.close();
  }

  // One transaction per article, into a fresh file of its own.
  const singleN = Math.min(n, SINGLE_MAX);
  const singleDir = mkdtempSync(join(tmpdir(), 'folio-bench-single-'));
  const singleSamples: number[] = [];
  let singleMs = 0;
  try {
    const single = openArchive(join(singleDir, 'single.db'), { backgroundCheckpoints: true });
    try {
      for (let i = 0; i < singleN; i++) {
        const item = input(i);
        const t0 = performance.now();
        single.saveCapture(item.capture, item.blobs, item.options);
        const ms = performance.now() - t0;
        singleMs += ms;
        singleSamples.push(ms);
      }
      // As for the batches: the WAL's remainder reaches the file within the timed work.
      singleMs += checkpoint(join(singleDir, 'single.db'));
    } finally {
      single.close();
    }
  } finally {
    rmSync(singleDir, { recursive: true, force: true });
  }

  // Baseline: the same text, raw INSERTs in one transaction per row, no index of any kind.
  const raw = new Database(':memory:');
  raw.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, title TEXT, text TEXT)');
  const insert = raw.prepare('INSERT INTO t (title, text) VALUES (?, ?)');
  const baselineN = Math.min(n, 5000);
  const rawStart = performance.now();
  for (let i = 0; i < baselineN; i++) {
    raw.transaction(() => insert.run(source.title(i), source.paragraphs(i).join('\n\n')))();
  }
  const rawSeconds = (performance.now() - rawStart) / 1000;
  raw.close();

  const floorPerS = searchRowsFloor(Math.min(n, 5000), input);

  const file = new Database(path, { readonly: true });
  const pages = (file.pragma('page_count', { simple: true }) as number) * (file.pragma('page_size', { simple: true }) as number);
  file.close();

  return {
    articles: n,
    articles_per_s: round(n / (storeMs / 1000), 1),
    batch_size: BATCH,
    per_article_ms: summarize(samples),
    optimize_s: round(optimizeMs / 1000, 2),
    checkpoint_s: round(checkpointMs / 1000, 3),
    single_save_per_s: round(singleN / (singleMs / 1000), 1),
    single_articles: singleN,
    single_per_article_ms: summarize(singleSamples),
    baseline_raw_insert_per_s: round(baselineN / rawSeconds, 1),
    floor_search_rows_per_s: floorPerS,
    file_mb: round(pages / 1e6, 1),
  };
}

/**
 * What storing an article costs for its full-text search alone, on the archive's real schema
 * (built by the migrations): its article_search row and its entries in the word and trigram
 * indexes, as bare prepared INSERTs with the values computed beforehand, BATCH per transaction,
 * no article row, HTML, original, URL, image or tag, and the WAL checkpointed once at the end
 * (timed). An empty index and no other work make it kinder than the real store at any scale, so
 * it bounds from above the articles/s any store that keeps these indexes can reach here.
 */
function searchRowsFloor(n: number, input: (i: number) => CaptureToSave): number {
  const dir = mkdtempSync(join(tmpdir(), 'folio-bench-floor-'));
  try {
    const file = join(dir, 'floor.db');
    openArchive(file).close();
    const rows = Array.from({ length: n }, (_, i) => {
      const { capture, options } = input(i);
      return {
        id: i + 1,
        title: capture.title,
        byline: capture.byline ?? '',
        site: [capture.siteName, siteHost(capture.finalUrl ?? capture.url)].filter(Boolean).join(' '),
        text: capture.text,
        cjk: unspacedRuns(capture.text),
        tags: (options?.tags ?? []).join(' '),
      };
    });
    const db = new Database(file);
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = OFF'); // no article rows: the search rows alone
      db.pragma('wal_autocheckpoint = 0'); // one checkpoint at the end, timed
      const searchRow = db.prepare('INSERT INTO article_search (article_id, title, byline, site, text, cjk_text, tags) VALUES (?, ?, ?, ?, ?, ?, ?)');
      const words = db.prepare('INSERT INTO article_fts (rowid, title, byline, site, text, tags) VALUES (?, ?, ?, ?, ?, ?)');
      const trigram = db.prepare('INSERT INTO article_trigram (rowid, title, byline, cjk_text) VALUES (?, ?, ?, ?)');
      const t0 = performance.now();
      for (let start = 0; start < n; start += BATCH) {
        db.transaction(() => {
          for (const r of rows.slice(start, start + BATCH)) {
            searchRow.run(r.id, r.title, r.byline, r.site, r.text, r.cjk, r.tags);
            words.run(r.id, r.title, r.byline, r.site, r.text, r.tags);
            trigram.run(r.id, r.title, r.byline, r.cjk);
          }
        })();
      }
      db.pragma('wal_checkpoint(TRUNCATE)');
      return round(n / ((performance.now() - t0) / 1000), 1);
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
