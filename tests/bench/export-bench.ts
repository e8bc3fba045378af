import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { exportArticles } from '../../app/export/index.js';
import { openArchive } from '../../app/store/open-archive.js';
import { round, summarize } from './stats.js';

/**
 * Export: articles/s for a Markdown export (folder, local images, front matter) of the first
 * `count` articles of the bench archive, against reading the same articles through
 * iterateArticles (the export's own read path) in the same run.
 */
export interface ExportBenchResult {
  articles: number;
  repeats: number;
  articles_per_s: number;
  runs_per_s: ReturnType<typeof summarize>;
  baseline_read_per_s: number;
}

export async function benchExport(dbPath: string, count: number, repeats: number, tmpDir: string): Promise<ExportBenchResult> {
  const archive = openArchive(dbPath, { readonly: true });
  try {
    const ids = archive.listArticles({ limit: 500 }).items.map((a) => a.id);
    // listArticles pages at 500: walk on until `count` ids (or the archive) are reached.
    while (ids.length < count) {
      const more = archive.listArticles({ limit: 500, offset: ids.length }).items.map((a) => a.id);
      if (more.length === 0) break;
      ids.push(...more);
    }
    ids.length = Math.min(ids.length, count);
    const rates: number[] = [];
    const reads: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const t0 = performance.now();
      let n = 0;
      for (const article of archive.iterateArticles({ ids })) if (article.html !== undefined) n++;
      reads.push(n / ((performance.now() - t0) / 1000));

      const out = join(tmpDir, `export-${r}`);
      const t1 = performance.now();
      const result = await exportArticles(archive, { format: 'markdown', out, ids });
      rates.push(result.articles / ((performance.now() - t1) / 1000));
      rmSync(out, { recursive: true, force: true });
    }
    const s = summarize(rates);
    return {
      articles: ids.length,
      repeats,
      articles_per_s: round(s.median, 1),
      runs_per_s: s,
      baseline_read_per_s: round(summarize(reads).median, 1),
    };
  } finally {
    archive.close();
  }
}
