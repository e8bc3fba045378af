import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCrashedArchive, reportedArticles } from '../helpers/crash-check.js';
import { crashSuiteSkipReason, folioBin, runFolio } from '../helpers/crash-run.js';
import { startCrashSite, type CrashSite } from '../helpers/crash-site.js';

/**
 * Issue #7 §7 with the real writer: `folio backup PATH` run again and again while a
 * `folio add` batch (a separate process, capturing pages with images from a local server) is
 * writing. Each copy must pass integrity_check and both FTS checks, hold only whole articles
 * (text, html, every image with matching bytes), and have an article count between the counts
 * just before and just after its backup. tests/integration/backup.test.ts covers the same with
 * a store-level writer.
 */
const skip = crashSuiteSkipReason();
if (skip) console.warn(`skipping the backup-under-add soak: ${skip}`);

const SEED = Number(process.env.FOLIO_CRASH_SEED ?? 7);
const COUNT = 120;
const BACKUPS = 5;

let dir: string;
let site: CrashSite;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'folio-crash-backup-'));
  site = await startCrashSite({ count: COUNT, maxDelayMs: 150, seed: SEED + 2 });
});
afterAll(async () => {
  await site?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function articleCount(db: string): number {
  const conn = new Database(db, { readonly: true });
  try {
    return (conn.prepare('SELECT count(*) AS n FROM articles').get() as { n: number }).n;
  } finally {
    conn.close();
  }
}

/** The FTS5 indexes' own integrity-check (rank 1 also compares them with their content). */
function ftsProblems(file: string): string[] {
  const conn = new Database(file);
  try {
    return ['article_fts', 'article_trigram'].flatMap((index) => {
      try {
        conn.prepare(`INSERT INTO ${index} (${index}, rank) VALUES ('integrity-check', 1)`).run();
        return [];
      } catch (err) {
        return [`${index}: ${(err as Error).message}`];
      }
    });
  } finally {
    conn.close();
  }
}

describe.skipIf(skip !== null)('backup soak: folio backup while folio add writes', () => {
  it('every copy is sound, whole, and one point in time between the counts before and after', async () => {
    const db = join(dir, 'live.db');
    const adder = spawn(process.execPath, [folioBin, 'add', '--json', '--render', 'never', '--db', db, '-'], {
      cwd: dir,
      env: { ...process.env, FOLIO_DB: '', NO_COLOR: '1' },
    });
    let addOut = '';
    let addErr = '';
    adder.stdout.on('data', (d: Buffer) => (addOut += d.toString()));
    adder.stderr.on('data', (d: Buffer) => (addErr += d.toString()));
    adder.stdin.end(site.pages.map((p) => p.url).join('\n') + '\n');
    const addExit = new Promise<number | null>((resolve) => adder.on('close', resolve));
    let addRunning = true;
    void addExit.then(() => (addRunning = false));

    const results: { before: number; copy: number; after: number }[] = [];
    try {
      // Start once the archive has a few articles, so the copies have something to check.
      while (addRunning && reportedArticles(addOut).length < 3) await new Promise((r) => setTimeout(r, 50));
      for (let k = 0; k < BACKUPS && addRunning; k++) {
        const target = join(dir, 'copies', `copy-${k}.db`);
        const before = articleCount(db);
        const run = await runFolio(['backup', target, '--db', db], { cwd: dir });
        const after = articleCount(db);
        expect(run.stderr).toBe('');
        expect(run.code).toBe(0);

        const check = checkCrashedArchive(target, [], site.pageOf);
        expect(check.problems, `copy ${k}`).toEqual([]);
        expect(ftsProblems(target), `copy ${k}`).toEqual([]);
        expect(check.articles).toBeGreaterThanOrEqual(before);
        expect(check.articles).toBeLessThanOrEqual(after);
        expect(run.stdout).toContain(`(${check.articles} articles,`);
        results.push({ before, copy: check.articles, after });
      }
    } finally {
      // Whatever happened above, the batch is left to finish (it is also what is checked next).
      await addExit;
    }
    expect(addErr).toBe('');
    expect(await addExit).toBe(0);
    const saved = reportedArticles(addOut);
    expect(saved.length).toBe(COUNT);
    expect(articleCount(db)).toBe(COUNT);
    expect(results.length).toBe(BACKUPS);
    // The writer really was writing during the backups, not only between them.
    expect(results.filter((r) => r.after > r.before).length).toBeGreaterThan(0);
    // Only the finished copies are left: no temp or journal beside them.
    expect(readdirSync(join(dir, 'copies')).sort()).toEqual(results.map((_, k) => `copy-${k}.db`));
    console.info(
      `backup soak: ${results.length} backups during folio add of ${COUNT} pages; before/copy/after: ${results.map((r) => `${r.before}/${r.copy}/${r.after}`).join(', ')}`,
    );
  });
});
