import type { ArticleDetail } from '../core/article.js';
import type { Archive } from '../store/archive.js';
import { loadArticles } from './select.js';

/** What every format writer gets: the archive, the chosen ids, progress, the export time. */
export interface ExportRun {
  archive: Archive;
  ids: readonly number[];
  /** Called after each article; an exception thrown here aborts the export (atomically). */
  onProgress?: (done: number, total: number) => void;
  now: Date;
}

/** What a format writer reports. */
export interface WrittenCounts {
  articles: number;
  images: number;
}

/** The selected articles, one at a time, reporting progress after each one is handled. */
export function* articlesWithProgress(run: ExportRun): Generator<ArticleDetail> {
  let done = 0;
  run.onProgress?.(0, run.ids.length);
  for (const article of loadArticles(run.archive, run.ids)) {
    yield article;
    done++;
    run.onProgress?.(done, run.ids.length);
  }
}
