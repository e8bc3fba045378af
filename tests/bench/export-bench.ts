import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { exportArticles } from '../../app/export/index.js';
import { openArchive } from '../../app/store/open-archive.js';
import { round, summarize } from './stats.js';

/**
 * Export: articles/s for a Markdown export (folder, local images, front matter) of the first
 * `count` articles of the bench archive, against two baselines in the same run: reading the
 * same articles through iterateArticles (the export's own read path), and writing the same
 * files (same folders, names and sizes) with bare mkdirSync + writeFileSync. The second is the
 * floor the filesystem sets: on one VM here, creating a file cost 0.4–4 ms of kernel time
 * (ext4 without a journal checks each new inode against recently deleted ones), which no
 * exporter can go below.
 */
export interface ExportBenchResult {
  articles: number;
  repeats: number;
  articles_per_s: number;
  runs_per_s: ReturnType<typeof summarize>;
  baseline_read_per_s: number;
  /** The export's files written bare, in articles' worth per second. */
  baseline_write_per_s: number;
  /** The export's rate as a share of the bare writes' (100 = the filesystem is the whole cost). */
  pct_of_bare_writes: number;
}

/** Every file under `root`, as a path relative to it and a size. */
function listFiles(root: string): { rel: string; size: number }[] {
  return (readdirSync(root, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((d) => d.isFile())
    .map((d) => {
      const file = join(d.parentPath, d.name);
      return { rel: relative(root, file), size: statSync(file).size };
    });
}

/** Writes `files` under `root` as the exporter's folder tree does (one mkdir per new folder). */
function writeBare(root: string, files: { rel: string; size: number }[]): void {
  const made = new Set<string>();
  for (const f of files) {
    const file = join(root, f.rel);
    const dir = dirname(file);
    if (!made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    writeFileSync(file, Buffer.alloc(f.size, 120), { flag: 'wx' });
  }
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
    const writes: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const t0 = performance.now();
      let n = 0;
      for (const article of archive.iterateArticles({ ids })) if (article.html !== undefined) n++;
      reads.push(n / ((performance.now() - t0) / 1000));

      const out = join(tmpDir, `export-${r}`);
      const t1 = performance.now();
      const result = await exportArticles(archive, { format: 'markdown', out, ids });
      rates.push(result.articles / ((performance.now() - t1) / 1000));
      const files = listFiles(out);
      rmSync(out, { recursive: true, force: true });

      const bare = join(tmpDir, `bare-${r}`);
      const t2 = performance.now();
      writeBare(bare, files);
      writes.push(result.articles / ((performance.now() - t2) / 1000));
      rmSync(bare, { recursive: true, force: true });
    }
    const s = summarize(rates);
    return {
      articles: ids.length,
      repeats,
      articles_per_s: round(s.median, 1),
      runs_per_s: s,
      baseline_read_per_s: round(summarize(reads).median, 1),
      baseline_write_per_s: round(summarize(writes).median, 1),
      pct_of_bare_writes: round((100 * s.median) / summarize(writes).median, 1),
    };
  } finally {
    archive.close();
  }
}
