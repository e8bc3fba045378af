import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importFile } from '../../app/import/import-run.js';
import { openArchive } from '../../app/store/open-archive.js';
import { round, summarize } from './stats.js';

/**
 * Import: items/s for a generated Netscape bookmarks file imported with --no-fetch (every item
 * becomes a bookmark), into a fresh archive each run, against addBookmark called directly for
 * the same URLs and titles in the same run (the floor the parsing and reporting add to).
 */
export interface ImportBenchResult {
  items: number;
  repeats: number;
  items_per_s: number;
  runs_per_s: ReturnType<typeof summarize>;
  baseline_add_bookmark_per_s: number;
}

const FOLDERS = ['Reading', 'Research', 'Recipes', 'Travel'];

/** A bookmarks export as browsers write it: folders (they become tags), ADD_DATE, titles. */
export function bookmarksHtml(count: number): string {
  const lines = ['<!DOCTYPE NETSCAPE-Bookmark-file-1>', '<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">', '<TITLE>Bookmarks</TITLE>', '<H1>Bookmarks</H1>', '<DL><p>'];
  const perFolder = Math.ceil(count / FOLDERS.length);
  for (let f = 0; f < FOLDERS.length; f++) {
    lines.push(`    <DT><H3 ADD_DATE="1600000000">${FOLDERS[f]}</H3>`, '    <DL><p>');
    for (let i = f * perFolder; i < Math.min(count, (f + 1) * perFolder); i++) {
      lines.push(`        <DT><A HREF="https://site${i % 97}.example.com/articles/${i}/story-${i}" ADD_DATE="${1600000000 + i * 60}">Story number ${i} &amp; its sequel</A>`);
    }
    lines.push('    </DL><p>');
  }
  lines.push('</DL><p>');
  return lines.join('\n') + '\n';
}

function freshDb(path: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
}

export async function benchImport(count: number, repeats: number, tmpDir: string): Promise<ImportBenchResult> {
  const file = join(tmpDir, 'bookmarks.html');
  writeFileSync(file, bookmarksHtml(count));
  const rates: number[] = [];
  const baseline: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const dbPath = join(tmpDir, 'import.db');
    freshDb(dbPath);
    let archive = openArchive(dbPath);
    try {
      const t0 = performance.now();
      const summary = await importFile(archive, file, { fetch: false });
      const seconds = (performance.now() - t0) / 1000;
      if (summary.bookmarked !== count) {
        throw new Error(`import bench: expected ${count} bookmarks, got ${JSON.stringify(summary)}`);
      }
      rates.push(count / seconds);
    } finally {
      archive.close();
    }

    freshDb(dbPath);
    archive = openArchive(dbPath);
    try {
      const t1 = performance.now();
      for (let i = 0; i < count; i++) {
        archive.addBookmark({ url: `https://site${i % 97}.example.com/articles/${i}/story-${i}`, title: `Story number ${i} & its sequel`, tags: [FOLDERS[Math.floor(i / Math.ceil(count / FOLDERS.length))]!] });
      }
      baseline.push(count / ((performance.now() - t1) / 1000));
    } finally {
      archive.close();
    }
  }
  const s = summarize(rates);
  return {
    items: count,
    repeats,
    items_per_s: round(s.median, 1),
    runs_per_s: s,
    baseline_add_bookmark_per_s: round(summarize(baseline).median, 1),
  };
}
