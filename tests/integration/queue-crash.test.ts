import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openArchive } from '../../app/store/open-archive.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { generateText } from '../helpers/make-capture.js';

// `folio add` on 30 slow pages is killed with SIGKILL mid-batch, then `folio add --resume`
// finishes the queue. Needs the compiled build (npx tsc -p tsconfig.build.json).
const root = resolve(import.meta.dirname, '../..');
const bin = join(root, 'bin/folio.js');
const built = ['build/app/cli/commands/add.js', 'build/app/queue/runner.js', 'build/app/capture/extract-child.js'].every((f) => existsSync(join(root, f)));
if (!built) console.warn('skipping the crash-resume test: the build is missing; run npx tsc -p tsconfig.build.json');
const skipOnWindows = process.platform === 'win32';
if (skipOnWindows) console.warn('skipping the crash-resume test: SIGKILL semantics differ on Windows');

const COUNT = 30;
const title = (i: number) => `Slow Article Number ${i}`;

let dir: string;
let server: FixtureServer;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'folio-crash-'));
  server = await startFixtureServer();
  for (let i = 0; i < COUNT; i++) {
    const body = generateText(500 + i, 300)
      .split('\n\n')
      .map((p) => `<p>${p}</p>`)
      .join('');
    server.route(`/slow/${i}`, async (_req, res) => {
      await new Promise((r) => setTimeout(r, 150));
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html><head><title>${title(i)}</title></head><body><article><h1>${title(i)}</h1>${body}</article></body></html>`);
    });
  }
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function start(args: string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [bin, ...args], { cwd: dir, env: { ...process.env, FOLIO_DB: '' } });
}

describe.skipIf(!built || skipOnWindows)('folio add after kill -9', () => {
  it('resumes: every URL saved exactly once, nothing saved before the kill lost, file intact', async () => {
    const db = join(dir, 'folio.db');
    const urls = Array.from({ length: COUNT }, (_, i) => server.url(`/slow/${i}`));
    const child = start(['add', '--json', '--render', 'never', '--db', db, ...urls]);
    let out = '';
    const savedBeforeKill = await new Promise<{ id: number; url: string; title: string }[]>((resolvePromise, reject) => {
      child.stdout.on('data', (d) => {
        out += d;
        const lines = out.split('\n').slice(0, -1);
        if (lines.length >= 5) {
          child.kill('SIGKILL');
          resolvePromise(lines.map((l) => JSON.parse(l) as { id: number; url: string; title: string }));
        }
      });
      child.on('exit', (code) => reject(new Error(`folio add exited (${code}) before being killed:\n${out}`)));
    });
    await new Promise((r) => child.once('close', r));
    expect(child.signalCode).toBe('SIGKILL');
    expect(savedBeforeKill.length).toBeLessThan(COUNT);

    // The killed process left jobs queued (some of them `running`).
    const mid = openArchive(db);
    const left = mid.queue.status(1);
    mid.close();
    expect(left.pending + left.running).toBeGreaterThan(0);

    const resumed = start(['add', '--json', '--resume', '--db', db]);
    let resumedOut = '';
    resumed.stdout.on('data', (d) => (resumedOut += d));
    const code = await new Promise((r) => resumed.on('close', r));
    expect(code).toBe(0);
    const resumedLines = resumedOut.trim().split('\n').map((l) => JSON.parse(l) as { status: string; resumed: boolean });
    expect(resumedLines.length).toBeGreaterThan(0);
    for (const l of resumedLines) expect(l).toMatchObject({ resumed: true, status: expect.stringMatching(/^(saved|duplicate)$/) });

    const archive = openArchive(db);
    try {
      const all = archive.listArticles({ limit: 500 });
      expect(all.total).toBe(COUNT);
      expect(new Set(all.items.map((a) => a.url)).size).toBe(COUNT);
      for (const [i, url] of urls.entries()) {
        const id = archive.findByUrl(url);
        expect(id, url).not.toBeNull();
        expect(archive.getArticle(id!)!.title).toBe(title(i));
      }
      for (const s of savedBeforeKill) expect(archive.getArticle(s.id)).toMatchObject({ title: s.title, url: s.url });
      expect(archive.queue.status(1)).toMatchObject({ pending: 0, running: 0, failed: 0 });
      expect(archive.checkIntegrity()).toEqual([]);
    } finally {
      archive.close();
    }
    const raw = new Database(db, { readonly: true });
    try {
      expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      raw.close();
    }
  });
});
