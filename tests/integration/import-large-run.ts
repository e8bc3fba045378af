import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openArchive } from '../../app/store/index.js';
import { ensureBuilt, folio, type CliRun } from './import-cli-run.js';

/**
 * A large Pocket CSV imported with --no-fetch through the real CLI, with the CLI's peak RSS
 * measured against a tiny import in the same setup: the growth is what the file's size costs.
 * Rows are ~1 KB (a long title), so a 10 MB file is ~10,000 rows and 100 MB ~100,000.
 */
export interface LargeImportResult {
  fileBytes: number;
  rows: number;
  run: CliRun;
  /** Bookmarks in the archive afterwards. */
  stored: number;
  seconds: number;
  /** Peak RSS of the large import minus that of a 3-row import, in bytes. */
  rssGrowthBytes: number;
  baselineRssBytes: number;
}

const TITLE_FILLER = 'a long title about rivers, harbours and the quiet libraries of old cities '.repeat(12);

/** Writes the CSV in chunks so the test process does not hold the file in memory either. */
function writeCsv(file: string, targetBytes: number): number {
  const fd = openSync(file, 'w');
  let written = 0;
  let rows = 0;
  try {
    const header = 'title,url,time_added,tags,status\n';
    writeSync(fd, header);
    written += header.length;
    let chunk: string[] = [];
    while (written < targetBytes) {
      const line = `"Row ${rows}: ${TITLE_FILLER}",https://example.com/large/${rows},${1_600_000_000 + rows},bulk,${rows % 2 ? 'archive' : 'unread'}\n`;
      chunk.push(line);
      written += Buffer.byteLength(line);
      rows++;
      if (chunk.length === 1000) {
        writeSync(fd, chunk.join(''));
        chunk = [];
      }
    }
    if (chunk.length) writeSync(fd, chunk.join(''));
  } finally {
    closeSync(fd);
  }
  return rows;
}

export async function runLargeCsvImport(targetBytes: number): Promise<LargeImportResult> {
  ensureBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'folio-import-large-'));
  try {
    const small = join(dir, 'small.csv');
    writeCsv(small, 2_000);
    const baseline = await folio(['import', small, '--no-fetch', '--db', join(dir, 'baseline.db')], {}, { measureMemory: true });
    if (baseline.code !== 0 || baseline.maxRssBytes === undefined) throw new Error(`baseline import failed: ${baseline.stderr}`);

    const big = join(dir, 'large.csv');
    const rows = writeCsv(big, targetBytes);
    const db = join(dir, 'large.db');
    const started = Date.now();
    const run = await folio(['import', big, '--no-fetch', '--db', db], {}, { measureMemory: true });
    const seconds = (Date.now() - started) / 1000;
    const archive = openArchive(db, { readonly: true });
    let stored: number;
    try {
      stored = archive.stats().bookmarks;
    } finally {
      archive.close();
    }
    return {
      fileBytes: statSync(big).size,
      rows,
      run,
      stored,
      seconds,
      rssGrowthBytes: (run.maxRssBytes ?? Number.NaN) - baseline.maxRssBytes,
      baselineRssBytes: baseline.maxRssBytes,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
