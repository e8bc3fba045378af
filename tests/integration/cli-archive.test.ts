import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openArchive } from '../../app/store/open-archive.js';
import type { Archive } from '../../app/store/archive.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { makeCapture } from '../helpers/make-capture.js';
import { ensureCliBuilt } from '../helpers/cli-build.js';

/**
 * The archive commands end to end: `node bin/folio.js …` on a real temp archive seeded through
 * the store, checking both what is printed and what actually changed in the file.
 */

// A test here starts up to 11 CLI processes in turn, each loading Node and Folio's modules: alone
// on a slow VM the longest took 18 s, and with the rest of the suite on both cores one passed
// the default 30 s (a fresh-clone CI run). Time is not what these tests check.
vi.setConfig({ testTimeout: 120_000 });
const root = join(import.meta.dirname, '../..');
const bin = join(root, 'bin/folio.js');
const builtIndex = join(root, 'build/app/cli/commands/index.js');


interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Async: the fixture server for `refresh` lives in this process. TZ fixed so dates are predictable. */
function folio(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1', TZ: 'UTC', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const jsonl = (s: string) =>
  s
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
const widest = (s: string) => Math.max(...s.split('\n').map((l) => [...l].length));

let dir: string;
let db: string;
const ids: Record<string, number> = {};

function withArchive<T>(fn: (a: Archive) => T): T {
  const a = openArchive(db);
  try {
    return fn(a);
  } finally {
    a.close();
  }
}

beforeAll(() => {
  ensureCliBuilt('build/app/cli/commands/list.js');
  dir = mkdtempSync(join(tmpdir(), 'folio-cli-archive-'));
  db = join(dir, 'folio.db');
  let day = 0;
  const a = openArchive(db, { now: () => new Date(Date.UTC(2024, 0, 10 + day)) });
  try {
    const save = (key: string, opts: Parameters<typeof makeCapture>[0], tags: string[] = []) => {
      day++;
      const { capture, blobs } = makeCapture(opts);
      ids[key] = a.saveCapture(capture, blobs, { tags }).id;
    };
    save('heron', { seed: 1, title: 'The grey heron of the quiet river', text: 'A heron stood in the river. '.repeat(40) + 'Stars like a*b appear.', host: 'birds.example' }, ['nature']);
    save('bread', { seed: 2, title: 'Baking bread in winter', text: 'Knead the dough slowly. '.repeat(60), host: 'kitchen.example' }, ['food']);
    save('long', { seed: 3, title: 'An extraordinarily long title that keeps going well past any terminal width you might have, really', host: 'www.verbose-publication.example' });
    save('cjk', { seed: 4, title: '東京の古い図書館についての長い記事のタイトルはとても長いです', host: 'tokyo.example' });
  } finally {
    a.close();
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('folio list', () => {
  it('prints an 80-column table with ids, dates, truncated titles, sites, minutes and flags', async () => {
    const run = await folio(['list', '--db', db]);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^\s*ID\s+SAVED\s+TITLE\s+SITE\s+MIN\s+FLAGS$/);
    // Newest first.
    expect(lines[1]).toMatch(new RegExp(`^\\s*${ids.cjk}\\s+2024-01-14\\s+東京`));
    expect(lines[2]).toMatch(new RegExp(`^\\s*${ids.long}\\s+2024-01-13\\s+An extraordinarily long.*…`));
    expect(lines[4]).toMatch(new RegExp(`^\\s*${ids.heron}\\s+2024-01-11\\s+The grey heron`));
    expect(lines.at(-1)).toBe('4 articles');
    expect(widest(run.stdout)).toBeLessThanOrEqual(80);
  });

  it('--json: one record per article with the documented fields; filters by tag, site and state', async () => {
    const all = jsonl((await folio(['list', '--json', '--db', db])).stdout);
    expect(all.map((r) => r.id)).toEqual([ids.cjk, ids.long, ids.bread, ids.heron]);
    expect(Object.keys(all[0]!)).toEqual(['id', 'title', 'url', 'site', 'savedAt', 'publishedTime', 'readingMinutes', 'wordCount', 'tags', 'read', 'archived', 'favorite', 'status']);
    const heron = all.find((r) => r.id === ids.heron)!;
    expect(heron).toMatchObject({ title: 'The grey heron of the quiet river', tags: ['nature'], read: false, status: 'captured', savedAt: '2024-01-11T00:00:00.000Z' });

    expect(jsonl((await folio(['list', '--json', '--tag', 'food', '--db', db])).stdout).map((r) => r.id)).toEqual([ids.bread]);
    expect(jsonl((await folio(['list', '--json', '--site', 'birds.example', '--db', db])).stdout).map((r) => r.id)).toEqual([ids.heron]);
    const byTitle = jsonl((await folio(['list', '--json', '--sort', 'title', '--limit', '2', '--offset', '1', '--db', db])).stdout);
    expect(byTitle.map((r) => r.title)).toEqual(['Baking bread in winter', 'The grey heron of the quiet river']);
  });

  it('refuses a missing archive and a bad --state', async () => {
    const missing = await folio(['list', '--db', join(dir, 'nope.db')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^folio: there is no archive at .*nope\.db/);
    expect(existsSync(join(dir, 'nope.db'))).toBe(false);
    const bad = await folio(['list', '--state', 'sleeping', '--db', db]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('sleeping');
  });
});

describe('folio search', () => {
  it('human: title line, snippet with **matches** when not a TTY, "N results", 80 columns', async () => {
    const run = await folio(['search', 'heron', 'river', '--db', db]);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toMatch(new RegExp(`^#${ids.heron}  The grey heron of the quiet river  \\(.*2024-01-11\\)$`));
    expect(run.stdout).toMatch(/\*\*heron\*\*/);
    expect(run.stdout).not.toContain('\x1b[');
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('1 result');
    expect(widest(run.stdout)).toBeLessThanOrEqual(80);
  });

  it('--json: one record per hit, snippet in Markdown bold with literal * escaped', async () => {
    const hits = jsonl((await folio(['search', 'stars', '--json', '--db', db])).stdout);
    expect(hits).toHaveLength(1);
    expect(Object.keys(hits[0]!)).toEqual(['id', 'title', 'url', 'site', 'savedAt', 'snippet', 'score']);
    expect(hits[0]!.id).toBe(ids.heron);
    expect(hits[0]!.snippet).toContain('**Stars** like a\\*b');
    expect(typeof hits[0]!.score).toBe('number');
  });

  it('uses the query language (tag: filter, exclusion) and says so when nothing matches (exit 0)', async () => {
    expect(jsonl((await folio(['search', 'tag:food', '--json', '--db', db])).stdout).map((h) => h.id)).toEqual([ids.bread]);
    expect(jsonl((await folio(['search', 'heron', '-river', '--json', '--db', db])).stdout)).toEqual([]);
    const none = await folio(['search', 'zebra', '--db', db]);
    expect(none.code).toBe(0);
    expect(none.stdout).toBe('No results for "zebra".\n');
  });
});

describe('folio show', () => {
  it('text: header and body wrapped to 80 columns; by URL too', async () => {
    const run = await folio(['show', String(ids.heron), '--db', db]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^#\d+\nTitle:  The grey heron of the quiet river\n/);
    expect(run.stdout).toContain('Tags:   nature');
    expect(run.stdout).toContain('A heron stood in the river.');
    expect(widest(run.stdout)).toBeLessThanOrEqual(80);
    const url = withArchive((a) => a.getArticle(ids.heron)!.url);
    const byUrl = await folio(['show', url, '--db', db]);
    expect(byUrl.stdout).toBe(run.stdout);
  });

  it('md, html and json formats', async () => {
    const detail = withArchive((a) => a.getArticle(ids.heron)!);
    const md = await folio(['show', String(ids.heron), '--format', 'md', '--db', db]);
    expect(md.stdout.startsWith('# The grey heron of the quiet river\n\nA heron stood')).toBe(true);
    expect(md.stdout).toContain(`![](folio-asset:${detail.images[0]!.sha256})`);
    const html = await folio(['show', String(ids.heron), '--format', 'html', '--db', db]);
    expect(html.stdout.trimEnd()).toBe(detail.html.trimEnd());
    expect(html.stdout).toContain(`folio-asset:${detail.images[0]!.sha256}`);
    const json = JSON.parse((await folio(['show', String(ids.heron), '--format', 'json', '--db', db])).stdout);
    expect(json).toEqual(JSON.parse(JSON.stringify(detail)));
  });

  it('unknown id or URL: exit 1 with one line naming it and the archive', async () => {
    const run = await folio(['show', '9999', '--db', db]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`folio: no article #9999 in ${db} (run folio list to see the ids)\n`);
    const url = await folio(['show', 'https://nowhere.example/x', '--db', db]);
    expect(url.code).toBe(1);
    expect(url.stderr).toMatch(/^folio: no article for https:\/\/nowhere\.example\/x in /);
  });
});

describe('changing articles', () => {
  it('tag / untag change the stored tags (normalised) and print them', async () => {
    const tag = await folio(['tag', String(ids.bread), 'Winter', 'slow  FOOD', '--db', db]);
    expect(tag.code).toBe(0);
    expect(tag.stdout).toBe(`#${ids.bread}: added slow food, winter; tags now: food, slow food, winter\n`);
    expect(withArchive((a) => a.getArticle(ids.bread)!.tags)).toEqual(['food', 'slow food', 'winter']);
    const untag = await folio(['untag', String(ids.bread), 'winter', '--db', db]);
    expect(untag.stdout).toBe(`#${ids.bread}: removed winter; tags now: food, slow food\n`);
    expect(withArchive((a) => a.getArticle(ids.bread)!.tags)).toEqual(['food', 'slow food']);
  });

  it('mark sets and clears states on several ids', async () => {
    const run = await folio(['mark', String(ids.heron), String(ids.bread), 'read', '--db', db]);
    expect(run.code).toBe(0);
    expect(withArchive((a) => [a.getArticle(ids.heron)!.read, a.getArticle(ids.bread)!.read])).toEqual([true, true]);
    await folio(['mark', String(ids.heron), 'favorite', '--db', db]);
    await folio(['mark', String(ids.heron), 'archived', '--db', db]);
    expect(withArchive((a) => a.getArticle(ids.heron)!)).toMatchObject({ read: true, favorite: true, archived: true });
    await folio(['mark', String(ids.heron), 'unarchived', '--db', db]);
    await folio(['mark', String(ids.bread), 'unread', '--db', db]);
    expect(withArchive((a) => [a.getArticle(ids.heron)!.archived, a.getArticle(ids.bread)!.read])).toEqual([false, false]);
    const list = jsonl((await folio(['list', '--json', '--state', 'favorite', '--db', db])).stdout);
    expect(list.map((r) => r.id)).toEqual([ids.heron]);
    const table = (await folio(['list', '--state', 'favorite', '--db', db])).stdout;
    expect(table).toMatch(/R-F\n/);
  });

  it('unknown ids and bad states fail with exit 1, naming them, and change nothing', async () => {
    const before = withArchive((a) => a.getArticle(ids.cjk)!);
    const mark = await folio(['mark', String(ids.cjk), '777', 'read', '--db', db]);
    expect(mark.code).toBe(1);
    expect(mark.stderr).toBe(`folio: no article #777 in ${db}; nothing was changed (run folio list to see the ids)\n`);
    expect(withArchive((a) => a.getArticle(ids.cjk)!.read)).toBe(before.read);
    const state = await folio(['mark', String(ids.cjk), 'shiny', '--db', db]);
    expect(state.code).toBe(1);
    expect(state.stderr).toMatch(/^folio: the last argument must be the state \(read\|unread/);
    for (const args of [['tag', '777', 'x'], ['untag', '777', 'x'], ['rm', '777'], ['restore', '777'], ['refresh', '777']]) {
      const run = await folio([...args, '--db', db]);
      expect(run.code, args.join(' ')).toBe(1);
      expect(run.stderr, args.join(' ')).toMatch(/^folio: no article #777 in .*\n$/);
    }
    const notId = await folio(['tag', 'abc', 'x', '--db', db]);
    expect(notId.code).toBe(2);
    expect(notId.stderr).toContain('"abc" is not an article id');
  });

  it('rm moves to the trash (hidden), restore brings it back, --purge deletes for good with its images', async () => {
    const rm = await folio(['rm', String(ids.cjk), '--db', db]);
    expect(rm.code).toBe(0);
    expect(rm.stdout).toContain(`Moved #${ids.cjk} to the trash`);
    expect(jsonl((await folio(['list', '--json', '--db', db])).stdout).map((r) => r.id)).not.toContain(ids.cjk);
    const shown = await folio(['show', String(ids.cjk), '--db', db]);
    expect(shown.code).toBe(1);
    expect(shown.stderr).toContain('is in the trash');
    const tagTrashed = await folio(['tag', String(ids.cjk), 'x', '--db', db]);
    expect(tagTrashed.stderr).toContain(`folio restore ${ids.cjk}`);

    expect((await folio(['restore', String(ids.cjk), '--db', db])).stdout).toBe(`Restored #${ids.cjk}\n`);
    expect(withArchive((a) => a.getArticle(ids.cjk)?.id)).toBe(ids.cjk);
    const again = await folio(['restore', String(ids.cjk), '--db', db]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('is not in the trash');

    // Something else trashed earlier must survive a purge of other ids.
    await folio(['rm', String(ids.long), '--db', db]);
    const sha = withArchive((a) => a.getArticle(ids.cjk)!.images[0]!.sha256);
    const purge = await folio(['rm', String(ids.cjk), '--purge', '--db', db]);
    expect(purge.code).toBe(0);
    expect(purge.stdout).toBe(`Deleted #${ids.cjk} for good (1 article, 1 unused image removed)\n`);
    withArchive((a) => {
      expect(a.getArticle(ids.cjk, { includeDeleted: true })).toBeNull();
      expect(a.getImage(sha)).toBeNull();
      expect(a.getArticle(ids.long, { includeDeleted: true })?.id).toBe(ids.long);
      expect(a.checkIntegrity()).toEqual([]);
    });
    await folio(['restore', String(ids.long), '--db', db]);
  });
});

describe('folio stats', () => {
  it('human (80 columns) and --json agree with the store', async () => {
    const stats = withArchive((a) => a.stats());
    const json = JSON.parse((await folio(['stats', '--json', '--db', db])).stdout);
    expect(json).toEqual({ path: db, ...stats });
    const human = await folio(['stats', '--db', db]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(`Articles: ${stats.articles} captured, ${stats.bookmarks} bookmarks`);
    expect(human.stdout).toContain(`Images:   ${stats.images} (`);
    expect(human.stdout).toMatch(/Queue: +0 pending, 0 running, 0 failed, 0 done/);
    expect(widest(human.stdout)).toBeLessThanOrEqual(80);
  });
});

describe('folio refresh', () => {
  let server: FixtureServer;
  beforeAll(async () => {
    server = await startFixtureServer();
  });
  afterAll(() => server?.close());

  it('re-captures through the queue, replacing the content and keeping tags and states', async () => {
    const page = (body: string) => ({
      headers: { 'content-type': 'text/html; charset=utf-8' },
      body: `<!doctype html><html lang="en"><head><title>Tide tables</title></head><body><article><h1>Tide tables</h1>${`<p>${body}</p>`.repeat(8)}</article></body></html>`,
    });
    server.route('/tides', page('The first version talks about the morning tide along the harbour wall, at some length and in detail.'));
    const url = server.url('/tides');
    const id = withArchive((a) => {
      // The fixture server is on 127.0.0.1, which captures refuse unless allowed.
      a.updateSettings({ allowPrivateAddresses: true });
      const { capture, blobs } = makeCapture({ seed: 9, url, title: 'Tide tables', text: 'Old stored text about the morning tide.' });
      const saved = a.saveCapture(capture, blobs, { tags: ['sea'], favorite: true });
      return saved.id;
    });
    server.route('/tides', page('The second version is about the evening tide and the lighthouse keeper, told slowly and at length.'));
    const run = await folio(['refresh', String(id), '--render', 'never', '--db', db]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`#${id} refreshed: Tide tables\n`);
    withArchive((a) => {
      const after = a.getArticle(id)!;
      expect(after.text).toContain('lighthouse keeper');
      expect(after.text).not.toContain('Old stored text');
      expect(after.tags).toEqual(['sea']);
      expect(after.favorite).toBe(true);
      expect(a.search('lighthouse').items.map((h) => h.id)).toEqual([id]);
    });

    server.route('/tides', { status: 404, body: 'gone' });
    const failed = await folio(['refresh', String(id), '--json', '--render', 'never', '--db', db]);
    expect(failed.code).toBe(1);
    const [record] = jsonl(failed.stdout);
    expect(record).toMatchObject({ id, status: 'failed' });
    expect((record!.error as { message: string }).message).toContain('404');
    expect(withArchive((a) => a.getArticle(id)!.text)).toContain('lighthouse keeper');
  });
});
