import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openArchive } from '../../app/store/open-archive.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { generateText } from '../helpers/make-capture.js';

// Runs the real `folio` binary, which needs the compiled build (npx tsc -p tsconfig.build.json).
const root = resolve(import.meta.dirname, '../..');
const bin = join(root, 'bin/folio.js');
const built = ['build/app/cli/commands/add.js', 'build/app/queue/runner.js', 'build/app/capture/extract-child.js'].every((f) => existsSync(join(root, f)));
if (!built) console.warn('skipping folio add CLI tests: the build is missing; run npx tsc -p tsconfig.build.json');

function articlePage(title: string, seed: number): string {
  const body = generateText(seed, 400)
    .split('\n\n')
    .map((p) => `<p>${p}</p>`)
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title><meta property="og:site_name" content="Fixture Gazette"></head>
<body><article><h1>${title}</h1>${body}</article></body></html>`;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function folio(args: string[], opts: { stdin?: string } = {}): Promise<Run> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: dir,
      env: { ...process.env, FOLIO_DB: '', FOLIO_TIMEOUT_MS: '2000' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
    child.stdin.end(opts.stdin ?? '');
  });
}

const jsonl = (s: string) => s.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

let dir: string;
let db: string;
let server: FixtureServer;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'folio-cli-add-'));
  db = join(dir, 'folio.db');
  server = await startFixtureServer({
    '/one': { body: articlePage('The First Fixture Article', 1) },
    '/two': { body: articlePage('The Second Fixture Article', 2) },
    '/three': { body: articlePage('A Third One From Stdin', 3) },
  });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!built)('folio add', () => {
  it('saves URLs and files, one JSON line per input in input order, exit 1 when one failed', async () => {
    writeFileSync(join(dir, 'saved.html'), articlePage('A Page Saved From The Browser', 4));
    writeFileSync(join(dir, 'urls.txt'), `${server.url('/one')}\n`);
    const run = await folio([
      'add', '--json', '--db', db, '--render', 'never', '--tag', 'Reading', '--tag', 'later',
      server.url('/one'), 'saved.html', server.url('/missing'), 'urls.txt', server.url('/two?utm_source=x'),
    ]);
    expect(run.code).toBe(1);
    const lines = jsonl(run.stdout);
    expect(lines.map((l) => [l.input, l.status])).toEqual([
      [server.url('/one'), 'saved'],
      ['saved.html', 'saved'],
      [server.url('/missing'), 'failed'],
      ['urls.txt', 'failed'],
      [server.url('/two?utm_source=x'), 'saved'],
    ]);
    expect(lines[0]).toMatchObject({ title: 'The First Fixture Article', url: server.url('/one'), id: expect.any(Number) });
    expect(lines[2]!.error).toMatchObject({ code: 'HTTP_STATUS', message: expect.stringContaining('404') });
    expect(lines[3]!.error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('folio import') });
    // The tracking parameter is gone from the stored URL.
    expect(lines[4]!.url).toBe(server.url('/two'));

    const archive = openArchive(db);
    try {
      const article = archive.getArticle(lines[0]!.id as number)!;
      expect(article.tags).toEqual(['later', 'reading']);
      expect(archive.getArticle(lines[1]!.id as number)!.title).toBe('A Page Saved From The Browser');
      expect(archive.listArticles().total).toBe(3);
    } finally {
      archive.close();
    }
  });

  it('reports a page already saved as a duplicate with its id, and exits 0', async () => {
    const first = jsonl((await folio(['add', '--json', '--db', db, server.url('/one')])).stdout);
    const run = await folio(['add', '--json', '--db', db, '-'], { stdin: `# my list\n${server.url('/one?utm_medium=email')}\n\n${server.url('/three')}\n` });
    expect(run.code).toBe(0);
    const lines = jsonl(run.stdout);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ status: 'duplicate', id: first[0]!.id, title: 'The First Fixture Article' });
    expect(lines[1]).toMatchObject({ status: 'saved', title: 'A Third One From Stdin' });
  });

  it('--refresh replaces the content and keeps tags and states', async () => {
    server.route('/changing', { body: articlePage('Before The Edit', 10) });
    const [saved] = jsonl((await folio(['add', '--json', '--db', db, '--tag', 'kept', server.url('/changing')])).stdout);
    const id = saved!.id as number;
    const archive = openArchive(db);
    archive.setFlags([id], { read: true, favorite: true });
    archive.close();

    server.route('/changing', { body: articlePage('After The Edit', 11) });
    const run = await folio(['add', '--json', '--refresh', '--db', db, server.url('/changing')]);
    expect(run.code).toBe(0);
    expect(jsonl(run.stdout)[0]).toMatchObject({ status: 'saved', id, title: 'After The Edit' });
    const after = openArchive(db);
    try {
      expect(after.getArticle(id)).toMatchObject({ title: 'After The Edit', tags: ['kept'], read: true, favorite: true });
      expect(after.getArticle(id)!.text).toContain(generateText(11, 400).slice(0, 60));
    } finally {
      after.close();
    }
  });

  it('prints one line per input fitting 80 columns without --json, and no progress bar when piped', async () => {
    const run = await folio(['add', '--db', db, server.url('/two'), server.url('/nope')]);
    expect(run.code).toBe(1);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^duplicate +#\d+ +The Second Fixture Article {2}\(Fixture Gazette\)$/);
    expect(lines[1]).toMatch(/^failed +http:\/\/127\.0\.0\.1:\d+\/nope/);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    expect(run.stderr).not.toContain('Saving [');
  });

  it('refuses to run with nothing to add, but --resume alone finishes the queue', async () => {
    const none = await folio(['add', '--db', db]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/^folio: nothing to add/);
    // Queue a job the way a process that died would have left it.
    const archive = openArchive(db);
    server.route('/queued-earlier', { body: articlePage('Queued By An Earlier Run', 20) });
    archive.queue.enqueue([{ input: server.url('/queued-earlier') }]);
    archive.queue.claimNext();
    archive.close();
    const run = await folio(['add', '--json', '--resume', '--db', db]);
    expect(run.code).toBe(0);
    expect(jsonl(run.stdout)).toEqual([expect.objectContaining({ status: 'saved', resumed: true, title: 'Queued By An Earlier Run' })]);
  });
});
