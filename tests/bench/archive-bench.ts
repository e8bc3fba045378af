import Database from 'better-sqlite3';
import { openArchive } from '../../app/store/open-archive.js';
import type { ImageBlob } from '../../app/core/types.js';
import { articleHtml, makeCapture, makeImageBlob } from '../helpers/make-capture.js';
import type { TextSource } from './corpus.js';
import { round, summarize } from './stats.js';

/**
 * Store: articles/s into a real archive file (FTS and trigram indexes, images, tags included),
 * against raw inserts of the same title+text into a bare table in the same run.
 */
export interface StoreResult {
  articles: number;
  articles_per_s: number;
  per_article_ms: ReturnType<typeof summarize>;
  baseline_raw_insert_per_s: number;
  file_mb: number;
}

const SITES = ['example.com', 'news.example.org', 'blog.example.net', 'journal.example.edu', 'daily.example.co.uk'];
const TAGS = ['research', 'to-read', 'history', 'science', 'travel', 'cooking', 'programming'];

export function buildArchive(path: string, n: number, source: TextSource): StoreResult {
  const shared: ImageBlob[] = Array.from({ length: 200 }, (_, i) => makeImageBlob(i + 1));
  const archive = openArchive(path);
  const samples: number[] = [];
  const start = performance.now();
  try {
    for (let i = 0; i < n; i++) {
      const paragraphs = source.paragraphs(i);
      const text = paragraphs.join('\n\n');
      const blobs = [shared[i % shared.length]!, shared[(i * 7 + 3) % shared.length]!];
      const made = makeCapture({ seed: i + 1, host: SITES[i % SITES.length]!, blobs, text, title: source.title(i) });
      made.capture.html = articleHtml(text, made.capture.images);
      made.capture.wordCount = text.split(/\s+/).length;
      const t0 = performance.now();
      archive.saveCapture(made.capture, made.blobs, {
        tags: [TAGS[i % TAGS.length]!],
        savedAt: new Date(Date.UTC(2021, 0, 1) + i * 3_600_000).toISOString(),
        read: i % 3 === 0,
        favorite: i % 11 === 0,
        archived: i % 5 === 0,
      });
      samples.push(performance.now() - t0);
    }
  } finally {
    archive.close();
  }
  const seconds = (performance.now() - start) / 1000;

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

  const file = new Database(path, { readonly: true });
  const pages = (file.pragma('page_count', { simple: true }) as number) * (file.pragma('page_size', { simple: true }) as number);
  file.close();

  return {
    articles: n,
    articles_per_s: round(n / seconds, 1),
    per_article_ms: summarize(samples),
    baseline_raw_insert_per_s: round(baselineN / rawSeconds, 1),
    file_mb: round(pages / 1e6, 1),
  };
}
