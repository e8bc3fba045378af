import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createExtractPool, type ExtractionWorkers } from '../../app/capture/extract-pool.js';
import { importFile } from '../../app/import/import-run.js';
import type { ItemReport } from '../../app/import/import-items.js';
import { openArchive, type Archive } from '../../app/store/index.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';

const fixtures = path.resolve('tests/fixtures/import');
const builtChild = path.resolve('build/app/capture/extract-child.js');
let tmp: string;
let archive: Archive;

beforeAll(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'folio-import-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
afterEach(() => archive?.close());

function fresh(name: string): Archive {
  archive = openArchive(path.join(tmp, `${name}.db`));
  return archive;
}

/** Every live row as the list shows it, for before/after comparisons. */
function checksum(a: Archive): string {
  const rows = [...a.iterateArticles()].map((d) => ({ ...d }));
  return createHash('sha256').update(JSON.stringify(rows)).digest('hex');
}

describe('--no-fetch bookmarks', () => {
  it('firefox bookmarks are listed, tagged, dated and searchable by title; place: skipped', async () => {
    const a = fresh('firefox');
    const reports: ItemReport[] = [];
    const s = await importFile(a, path.join(fixtures, 'bookmarks-firefox.html'), { fetch: false, tags: ['Imported'], onItem: (r) => reports.push(r) });
    expect(s).toMatchObject({ format: 'netscape', items: 4, bookmarked: 3, skipped: 1, failed: 0 });
    expect(reports[0]).toMatchObject({ status: 'skipped', line: 12 });
    const rust = a.getArticle(a.findByUrl('https://doc.rust-lang.org/book/ch04-01-what-is-ownership.html')!)!;
    expect(rust).toMatchObject({ status: 'bookmark', title: 'What is Ownership? - The Rust Programming Language', savedAt: '2023-11-14T22:15:00.000Z', read: false });
    expect(rust.tags.sort()).toEqual(['imported', 'memory', 'ownership', 'programming', 'rust']);
    expect(a.search('Ownership').items.map((h) => h.id)).toEqual([rust.id]);
    expect(a.listArticles({}).items).toHaveLength(3);
  });

  it('pocket CSV keeps archived state; a second run is all duplicates', async () => {
    const a = fresh('pocket');
    const file = path.join(fixtures, 'pocket-new.csv');
    expect(await importFile(a, file, { fetch: false })).toMatchObject({ items: 3, bookmarked: 3 });
    const ddia = a.getArticle(a.findByUrl('https://example.com/ddia-review')!)!;
    expect(ddia).toMatchObject({ archived: true, read: true, savedAt: '2023-07-11T18:26:40.000Z' });
    const before = checksum(a);
    expect(await importFile(a, file, { fetch: false })).toMatchObject({ items: 3, duplicate: 3, bookmarked: 0 });
    expect(checksum(a)).toBe(before);
  });

  it('10,000-row Pocket CSV (reports items/s)', async () => {
    const a = fresh('big');
    const rows = ['title,url,time_added,cursor,tags,status'];
    for (let i = 0; i < 10_000; i++) rows.push(`"Article ${i}",https://bulk.example.com/a/${i},${1600000000 + i},c${i},bulk|n${i % 7},${i % 3 === 0 ? 'archive' : 'unread'}`);
    const file = path.join(tmp, 'big.csv');
    writeFileSync(file, rows.join('\n') + '\n');
    const s = await importFile(a, file, { fetch: false });
    expect(s).toMatchObject({ items: 10_000, bookmarked: 10_000 });
    expect(a.stats().bookmarks).toBe(10_000);
    expect(a.search('"Article 9999"').items[0]?.url).toBe('https://bulk.example.com/a/9999');
    console.info(`[import] 10,000 Pocket rows with --no-fetch: ${(10_000 / s.seconds).toFixed(0)} items/s`);
  });
});

describe('the event loop during an import', () => {
  it('turns while a list is read: other timers (requests, captures) run before the last line', async () => {
    const a = fresh('turns');
    // 2,500 short URLs: under 64 KB, so the file arrives in one read and only the import's own
    // yielding lets anything else run until every line is stored (before: the timer never fired).
    const file = path.join(tmp, 'list.txt');
    writeFileSync(file, Array.from({ length: 2500 }, (_, i) => `https://u.example/${i}`).join('\n') + '\n');
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const s = await importFile(a, file, { fetch: false });
    clearInterval(timer);
    expect(s).toMatchObject({ items: 2500, bookmarked: 2500 });
    expect(ticks).toBeGreaterThan(10);
  });
});

describe('offline content formats', () => {
  it.each(['omnivore', 'wallabag.json', 'readeck'])('%s: captured with text, no network', async (name) => {
    const server = await startFixtureServer();
    try {
      const a = fresh(`offline-${name}`);
      const s = await importFile(a, path.join(fixtures, name), { fetch: false });
      expect(s.failed).toBe(0);
      const captured = [...a.iterateArticles()].filter((d) => d.status === 'captured');
      expect(captured.length).toBeGreaterThan(0);
      for (const d of captured) expect(d.text.length).toBeGreaterThan(200);
      expect(server.requests).toHaveLength(0);
    } finally {
      await server.close();
    }
  });

  it('omnivore: states, progress, remote image recorded as not saved, uncontented item bookmarked', async () => {
    const a = fresh('omnivore-detail');
    await importFile(a, path.join(fixtures, 'omnivore'), { fetch: false });
    const boring = a.getArticle(a.findByUrl('https://mcfunley.com/choose-boring-technology')!)!;
    expect(boring).toMatchObject({ status: 'captured', archived: true, read: true, readingProgress: 1, savedAt: '2023-05-01T09:30:00.000Z' });
    expect(boring.tags.sort()).toEqual(['engineering', 'favorites']);
    expect(boring.html).toContain('data-folio-missing="https://mcfunley.com/images/tokens.png"');
    expect(a.getOriginalHtml(boring.id)).toContain('Innovation tokens');
    expect(a.getArticle(a.findByUrl('https://example.com/no-content')!)!.status).toBe('bookmark');
  });

  it.runIf(existsSync(builtChild))('with an extraction pool, exported content is cleaned in its workers and stored the same', async () => {
    const inThread = fresh('omnivore-in-thread');
    await importFile(inThread, path.join(fixtures, 'omnivore'), { fetch: false });
    const expected = [...inThread.iterateArticles()].map(({ title, text, html, byline, status }) => ({ title, text, html, byline, status }));
    inThread.close();

    const pool = createExtractPool({ processes: 1 });
    const calls = { extract: 0, plan: 0, apply: 0 };
    // The real pool, counting what reaches it.
    const workers: ExtractionWorkers = {
      extract: (html, url) => (calls.extract++, pool.extract(html, url)),
      imageDom: {
        plan: (html, url) => (calls.plan++, pool.imageDom.plan(html, url)),
        apply: (html, decisions) => (calls.apply++, pool.imageDom.apply(html, decisions)),
      },
    };
    try {
      const a = fresh('omnivore-pool');
      const s = await importFile(a, path.join(fixtures, 'omnivore'), { fetch: false, extractPool: workers });
      expect(s.failed).toBe(0);
      const stored = [...a.iterateArticles()].map(({ title, text, html, byline, status }) => ({ title, text, html, byline, status }));
      expect(stored).toEqual(expected);
      const captured = stored.filter((d) => d.status === 'captured').length;
      expect(captured).toBeGreaterThan(0);
      expect(calls.extract).toBe(captured);
      expect(calls.plan).toBe(captured);
    } finally {
      await pool.close();
    }
  });
});

describe('fetching through the capture queue', () => {
  let server: FixtureServer;
  beforeAll(async () => {
    const page = (t: string) => `<!DOCTYPE html><html><head><title>${t}</title></head><body><article><h1>${t}</h1>${'<p>Queue-imported prose that is long enough for Readability to accept it as the main article text of this page.</p>'.repeat(8)}</article></body></html>`;
    server = await startFixtureServer({ '/a': { body: page('Alpha page') }, '/b': { body: page('Beta page') }, '/gone': { status: 404, body: 'nope' } });
  });
  afterAll(() => server.close());

  it('URL list items end saved (or failed with a reason) with their line numbers', async () => {
    const a = fresh('fetch');
    a.updateSettings({ allowPrivateAddresses: true });
    const file = path.join(tmp, 'list.md');
    writeFileSync(file, `# list\n- [Alpha](${server.url('/a')})\n${server.url('/b')}\n${server.url('/gone')}\n${server.url('/a')}\n`);
    const { captureOptionsFromSettings } = await import('../../app/queue/capture-settings.js');
    const reports: ItemReport[] = [];
    const s = await importFile(a, file, { captureOptions: () => captureOptionsFromSettings(a.getSettings()), tags: ['from-list'], onItem: (r) => reports.push(r) });
    expect(s).toMatchObject({ format: 'urls', items: 4, saved: 2, duplicate: 1, failed: 1 });
    const byLine = Object.fromEntries(reports.map((r) => [r.line, r.status]));
    expect(byLine).toEqual({ 2: 'saved', 3: 'saved', 4: 'failed', 5: 'duplicate' });
    expect(reports.find((r) => r.line === 4)!.error).toMatch(/404/);
    const alpha = a.getArticle(a.findByUrl(server.url('/a'))!)!;
    expect(alpha).toMatchObject({ status: 'captured', title: 'Alpha page', tags: ['from-list'] });
    expect(a.queue.status().saved).toBe(2);
  });
});

describe('bad input', () => {
  it('a truncated bookmarks file keeps the items before the bad line and leaves existing rows untouched', async () => {
    const a = fresh('bad-html');
    await importFile(a, path.join(fixtures, 'pocket-old.csv'), { fetch: false });
    const before = checksum(a);
    const file = path.join(tmp, 'cut.html');
    writeFileSync(file, '<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<DL><p>\n<DT><A HREF="https://ok.example/1" ADD_DATE="1600000000">One</A>\n<DT><A HREF="https://example.com/quoted">dup</A>\n<DT><A HREF="https://ok.example/2" ADD_DA');
    const s = await importFile(a, file, { fetch: false });
    expect(s.error?.message).toMatch(/^imported 2 items before line 5: .*cut\.html, line 5: this bookmark is cut off/);
    expect(s).toMatchObject({ bookmarked: 1, duplicate: 1 });
    expect(a.findByUrl('https://ok.example/1')).not.toBeNull();
    const old = [...a.iterateArticles()].filter((d) => d.url.startsWith('https://example.com/'));
    expect(createHash('sha256').update(JSON.stringify(old)).digest('hex')).toBe(before);
  });

  it('a CSV with broken quoting reports its line; rows before it are imported', async () => {
    const a = fresh('bad-csv');
    const file = path.join(tmp, 'broken.csv');
    writeFileSync(file, 'title,url,time_added,tags,status\nA,https://c.example/1,1600000000,,unread\nB,https://c.example/2,1600000000,,unread\n"C "oops",https://c.example/3,1,,unread\nD,https://c.example/4,1,,unread\n');
    const s = await importFile(a, file, { fetch: false });
    expect(s.error?.message).toMatch(/^imported 2 items before line 4: .*broken\.csv, line 4: the CSV is malformed/);
    expect(a.stats().bookmarks).toBe(2);
  });

  it('unknown format, missing file, truncated zip', async () => {
    const a = fresh('bad-misc');
    const junk = path.join(tmp, 'junk.bin');
    writeFileSync(junk, 'just some words, nothing to import\n');
    await expect(importFile(a, junk)).rejects.toThrow(/junk\.bin: unknown import format: .*pass --format/);
    await expect(importFile(a, path.join(tmp, 'nope.csv'))).rejects.toThrow(/nope\.csv: no such file/);
    const zip = path.join(tmp, 'cut.zip');
    writeFileSync(zip, Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 7)]));
    await expect(importFile(a, zip)).rejects.toThrow(/cut\.zip: the zip is damaged or truncated.*download the export again/);
    expect(a.stats().articles + a.stats().bookmarks).toBe(0);
  });
});
