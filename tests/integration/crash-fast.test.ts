import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openArchive } from '../../app/store/open-archive.js';
import { checkCrashedArchive, reportedArticles, type ReportedArticle } from '../helpers/crash-check.js';
import { crashSuiteSkipReason, runFolio } from '../helpers/crash-run.js';
import { startCrashSite, type CrashSite } from '../helpers/crash-site.js';
import { rng } from '../helpers/make-capture.js';

/**
 * The default-suite cut of the crash soak (tests/soak/crash-queue.test.ts): 40 pages, some
 * with images, `folio import` killed with SIGKILL twice (once mid-import, once mid-resume),
 * checked after each kill, then finished. queue-crash.test.ts has one kill of `folio add`
 * without images; this one adds images, a second kill, the import path, and the whole-article
 * check after every kill. Needs the compiled build.
 */
const skip = crashSuiteSkipReason();
if (skip) console.warn(`skipping the fast crash test: ${skip}`);

const COUNT = 40;
let dir: string;
let site: CrashSite;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'folio-crash-fast-'));
  site = await startCrashSite({ count: COUNT, maxDelayMs: 200, seed: 11 });
});
afterAll(async () => {
  await site?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(skip !== null)('crash: folio import of 40 URLs killed twice', () => {
  it('after each kill the file is sound and reported articles whole; then every URL saved exactly once', async () => {
    const db = join(dir, 'fast.db');
    const list = join(dir, 'urls.txt');
    writeFileSync(list, site.pages.map((p) => p.url).join('\n') + '\n');
    const next = rng(11);
    const reported: ReportedArticle[] = [];
    const runs = [
      ['import', list, '--json', '--db', db],
      ['add', '--resume', '--json', '--render', 'never', '--db', db],
    ];
    for (const [k, args] of runs.entries()) {
      // Killed once it has reported a seeded 3–8 more saves, a seeded 0–150 ms later: a moment
      // with captures in flight, whatever the machine's speed.
      const target = 3 + Math.floor(next() * 6);
      const extra = Math.floor(next() * 150);
      let seenAt = Infinity;
      const run = await runFolio(args, {
        cwd: dir,
        timeoutMs: 60_000,
        killWhen: (out) => {
          if (seenAt === Infinity && reportedArticles(out).length >= target) seenAt = Date.now();
          return Date.now() >= seenAt + extra;
        },
      });
      expect(run.killed, `run ${k + 1} ended by itself (${run.code}): ${run.stderr}`).toBe(true);
      const got = reportedArticles(run.stdout);
      expect(got.length).toBeGreaterThanOrEqual(target);
      reported.push(...got);
      const check = checkCrashedArchive(db, reported, site.pageOf);
      expect(check.problems, `after kill ${k + 1}`).toEqual([]);
      expect(check.articles).toBeLessThan(COUNT);
    }
    // The resume only finished what the killed import left: nothing it reported is reported again.
    expect(reported.filter((r, i) => reported.findIndex((s) => s.id === r.id) !== i)).toEqual([]);

    const final = await runFolio(['import', list, '--json', '--db', db], { cwd: dir, timeoutMs: 60_000 });
    expect(final.stderr).toBe('');
    expect(final.code).toBe(0);
    expect(JSON.parse(final.stdout.trim().split('\n').at(-1)!)).toMatchObject({ summary: true, items: COUNT, failed: 0 });
    reported.push(...reportedArticles(final.stdout));

    const check = checkCrashedArchive(db, reported, site.pageOf);
    expect(check.problems).toEqual([]);
    expect(check.articles).toBe(COUNT);
    expect(check.withImages).toBe(site.pages.filter((p) => p.imageShas.length > 0).length);
    const archive = openArchive(db);
    try {
      const ids = site.pages.map((p) => archive.findByUrl(p.url));
      expect(ids).not.toContain(null);
      expect(new Set(ids).size).toBe(COUNT);
      for (const r of reported) expect(archive.findByUrl(r.url), r.url).toBe(r.id);
      expect(archive.queue.status(1)).toMatchObject({ pending: 0, running: 0, failed: 0 });
    } finally {
      archive.close();
    }
  }, 120_000);
});
