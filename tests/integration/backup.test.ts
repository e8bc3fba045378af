import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupArchive } from '../../app/store/backup.js';
import { openArchive } from '../../app/store/open-archive.js';
import { compileStore, type CompiledStore } from '../helpers/compile-store.js';
import { makeCapture } from '../helpers/make-capture.js';
import { spawnStoreChild } from '../helpers/store-child.js';
import { ensureCliBuilt } from '../helpers/cli-build.js';

/**
 * `folio backup` / backupArchive: a consistent, verified copy, even while another process
 * writes; never a half-written file under the target name; no clobbering without --force.
 */
const root = join(import.meta.dirname, '../..');
const bin = join(root, 'bin/folio.js');
const builtBackup = join(root, 'build/app/cli/commands/backup.js');


function folio(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * The writer child: saves articles one transaction each until told "stop", printing the
 * committed count after each save. Written here (not a shared helper) because only this test
 * uses it; it runs the compiled store and capture maker.
 */
const WRITER = `
import { createInterface } from 'node:readline';
const [storeUrl, makerUrl, db] = process.argv.slice(2);
const { openArchive } = await import(storeUrl);
const { makeCapture } = await import(makerUrl);
const archive = openArchive(db);
let stop = false;
createInterface({ input: process.stdin }).on('line', (l) => { if (l.trim() === 'stop') stop = true; });
console.log(JSON.stringify({ ready: true }));
let saved = 0;
while (!stop) {
  const { capture, blobs } = makeCapture({ seed: 50000 + saved, words: 400, imageCount: 2 });
  archive.saveCapture(capture, blobs, { tags: ['batch'] });
  saved++;
  console.log(JSON.stringify({ saved }));
  await new Promise((r) => setImmediate(r));
}
archive.close();
console.log(JSON.stringify({ done: true, saved }));
`;

let dir: string;
let store: CompiledStore;
let maker: CompiledStore;

beforeAll(() => {
  ensureCliBuilt('build/app/cli/commands/backup.js');
  dir = mkdtempSync(join(tmpdir(), 'folio-backup-'));
  store = compileStore();
  maker = compileStore('tests/helpers/make-capture.ts');
  writeFileSync(join(dir, 'writer-child.mjs'), WRITER);
}, 120_000);
afterAll(() => {
  store?.cleanup();
  maker?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

function seed(file: string, n: number): void {
  const a = openArchive(file);
  try {
    for (let i = 0; i < n; i++) {
      const { capture, blobs } = makeCapture({ seed: i + 1, words: 200 });
      a.saveCapture(capture, blobs);
    }
  } finally {
    a.close();
  }
}

/** SQLite's full integrity check, both FTS indexes against their content, and the counts. */
function inspectCopy(file: string): { integrity: string[]; fts: string[]; articles: number; searchRows: number; bodies: number } {
  const db = new Database(file, { readonly: false });
  try {
    const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
    const fts: string[] = [];
    for (const index of ['article_fts', 'article_trigram']) {
      try {
        db.prepare(`INSERT INTO ${index} (${index}, rank) VALUES ('integrity-check', 1)`).run();
      } catch (err) {
        fts.push(`${index}: ${(err as Error).message}`);
      }
    }
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    return {
      integrity,
      fts,
      articles: count('SELECT count(*) AS n FROM articles'),
      searchRows: count('SELECT count(*) AS n FROM article_search'),
      bodies: count('SELECT count(*) AS n FROM article_bodies'),
    };
  } finally {
    db.close();
  }
}

describe('folio backup', () => {
  it('copies a live archive while another process writes: sound, one point in time, opens as an archive', async () => {
    const db = join(dir, 'live.db');
    seed(db, 20);
    // spawnStoreChild resolves scripts from tests/helpers.
    const writer = spawnStoreChild(relative(join(root, 'tests/helpers'), join(dir, 'writer-child.mjs')), [store.storeUrl, maker.storeUrl, db]);
    try {
      await writer.waitFor((l) => l.ready === true);
      await writer.waitFor((l) => typeof l.saved === 'number' && l.saved >= 10, 60_000);
      const savedBefore = Math.max(...writer.lines.map((l) => (typeof l.saved === 'number' ? l.saved : 0)));
      const target = join(dir, 'copies', 'live-copy.db');
      const run = await folio(['backup', target, '--db', db]);
      const savedAfter = Math.max(...writer.lines.map((l) => (typeof l.saved === 'number' ? l.saved : 0)));
      writer.send('stop\n');
      const done = (await writer.waitFor((l) => l.done === true)) as { saved: number };

      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      // The writer really was writing during the backup.
      expect(savedAfter).toBeGreaterThan(savedBefore);
      const copy = inspectCopy(target);
      expect(copy.integrity).toEqual(['ok']);
      expect(copy.fts).toEqual([]);
      // Every article has its body and search row: no half-saved article.
      expect(copy.searchRows).toBe(copy.articles);
      expect(copy.bodies).toBe(copy.articles);
      // A count the archive actually had at some instant during the backup.
      expect(copy.articles).toBeGreaterThanOrEqual(20 + savedBefore);
      expect(copy.articles).toBeLessThanOrEqual(20 + savedAfter + 1);
      expect(run.stdout).toBe(`Backed up ${db} to ${target} (${copy.articles} articles, ${run.stdout.match(/, ([\d.]+ [KMG]?B)\)/)![1]})\n`);
      console.info(`backup: copied ${copy.articles} articles while the writer went from ${savedBefore} to ${savedAfter} saves (${done.saved} in all)`);

      const reopened = openArchive(target);
      try {
        expect(reopened.stats().articles).toBe(copy.articles);
        expect(reopened.search('tag:batch', { limit: 1 }).total).toBe(copy.articles - 20);
        expect(reopened.listArticles({ tag: 'batch', limit: 500 }).total).toBe(copy.articles - 20);
        expect(reopened.checkIntegrity()).toEqual([]);
      } finally {
        reopened.close();
      }
      // No temporary file is left next to the copy, and the copy is a single file.
      expect(readdirSync(join(dir, 'copies'))).toEqual(['live-copy.db']);
    } finally {
      writer.process.kill();
    }
  });

  it('refuses to overwrite an existing file unless --force, and never the archive itself', async () => {
    const db = join(dir, 'small.db');
    seed(db, 3);
    const target = join(dir, 'existing.db');
    writeFileSync(target, 'keep me');
    const refused = await folio(['backup', target, '--db', db]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(`folio: ${target} already exists; choose another name, or pass --force to replace it\n`);
    expect(readFileSync(target, 'utf8')).toBe('keep me');

    const forced = await folio(['backup', target, '--force', '--db', db]);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('(3 articles,');
    expect(inspectCopy(target)).toMatchObject({ integrity: ['ok'], fts: [], articles: 3 });

    const self = await folio(['backup', db, '--force', '--db', db]);
    expect(self.code).toBe(1);
    expect(self.stderr).toContain('would overwrite the archive itself');
    expect(readdirSync(dir).filter((f) => f.includes('.partial'))).toEqual([]);
  });

  it('refuses a missing source and a non-archive, leaving nothing behind', async () => {
    const missing = await folio(['backup', join(dir, 'out1.db'), '--db', join(dir, 'absent.db')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^folio: there is no archive at .*absent\.db to back up/);
    const junk = join(dir, 'junk.db');
    writeFileSync(junk, 'not sqlite at all');
    expect(() => backupArchive(junk, join(dir, 'out2.db'))).toThrow(/not a Folio archive/);
    expect(existsSync(join(dir, 'out1.db'))).toBe(false);
    expect(existsSync(join(dir, 'out2.db'))).toBe(false);
  });
});
