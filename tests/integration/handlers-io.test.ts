import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../app/api/dispatch.js';
import { createEventBus } from '../../app/api/events.js';
import { createHandlers, ioJobsOf } from '../../app/api/handlers.js';
import type { IoJobs } from '../../app/api/io-jobs.js';
import { startBridge, type RunningBridge } from '../../app/bridge/server.js';
import type { Envelope, FolioEvents, FolioHandlers, ImportOutcome, MethodName, OutputOf } from '../../app/core/contract.js';
import { createQueueRunner, type QueueRunner } from '../../app/queue/runner.js';
import { readZip, RICH_TITLE, seedArchive, type Seeded } from './export-fixtures.js';

/**
 * export.run and import.upload through the real loopback bridge over a real seeded archive:
 * the export is downloaded the way the browser does it (GET /exports/<id> with the token) and
 * its content checked; imports are sent as raw bytes (the streamed route) and as base64 (the
 * contract's JSON form, which Electron IPC uses), and followed through their events.
 */

let seeded: Seeded;
let runner: QueueRunner;
let handlers: FolioHandlers;
let io: IoJobs;
let bridge: RunningBridge;
const events = createEventBus();
const exportProgress: FolioEvents['export.progress'][] = [];
const importProgress: FolioEvents['import.progress'][] = [];
const changed: number[][] = [];
let scratch: string;

async function ok<M extends MethodName>(method: M, input: unknown): Promise<OutputOf<M>> {
  const result = (await dispatch(handlers, method, input)) as Envelope<OutputOf<M>>;
  if (!result.ok) throw new Error(`${method} failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}

function download(downloadId: string, withToken = true): Promise<Response> {
  return fetch(`${bridge.url}exports/${downloadId}`, withToken ? { headers: { authorization: `Bearer ${bridge.token}` } } : {});
}

/** Resolves with the outcome of this import, from its final import.progress event. */
function outcomeOf(importId: string): Promise<ImportOutcome> {
  return new Promise((resolve) => {
    const seen = importProgress.find((p) => p.importId === importId && p.done);
    if (seen) return resolve(seen.outcome!);
    const off = events.on('import.progress', (p) => {
      if (p.importId === importId && p.done) {
        off();
        resolve(p.outcome!);
      }
    });
  });
}

function upload(name: string, body: string | Uint8Array<ArrayBuffer>, query = ''): Promise<Response> {
  return fetch(`${bridge.url}api/import.upload?name=${encodeURIComponent(name)}${query}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${bridge.token}`, 'content-type': 'application/octet-stream' },
    body,
  });
}

const BOOKMARKS = `<!DOCTYPE NETSCAPE-Bookmark-file-1>
<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">
<TITLE>Bookmarks</TITLE>
<H1>Bookmarks</H1>
<DL><p>
    <DT><H3>Reading</H3>
    <DL><p>
        <DT><A HREF="https://example.com/orchards-of-quince" ADD_DATE="1700000000">Orchards of quince</A>
        <DT><A HREF="https://example.com/tidal-mills" ADD_DATE="1700000100" TAGS="history">Tidal mills of Brittany</A>
    </DL><p>
    <DT><A HREF="https://example.net/lighthouse-keepers" ADD_DATE="1700000200">Lighthouse keepers</A>
</DL><p>
`;

beforeAll(async () => {
  seeded = seedArchive();
  scratch = mkdtempSync(join(tmpdir(), 'folio-handlers-io-'));
  // Never started for fetch=0 imports: nothing here may touch the network.
  runner = createQueueRunner({ archive: seeded.archive, events, captureOptions: { render: 'never' } });
  handlers = createHandlers({ archive: seeded.archive, events, runner });
  io = ioJobsOf(handlers)!;
  events.on('export.progress', (p) => exportProgress.push(p));
  events.on('import.progress', (p) => importProgress.push(p));
  events.on('library.changed', (p) => changed.push(p.ids));
  bridge = await startBridge({ handlers, events, getImage: () => null, port: 0, rendererDir: scratch });
});

afterAll(async () => {
  await bridge?.close();
  await io?.idle();
  await runner?.stop();
  seeded?.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

describe('export.run', () => {
  it('writes a Markdown zip with index.md, announces progress, and serves it once as an attachment', async () => {
    const exportId = 'md-export-0001';
    const ready = await ok('export.run', { format: 'markdown', exportId });
    expect(ready.exportId).toBe(exportId);
    expect(ready.fileName).toMatch(/^folio-\d{4}-\d{2}-\d{2}-markdown\.zip$/);
    // Seven articles and one bookmark are seeded; the rich one carries two images.
    expect(ready.articles).toBe(8);
    expect(ready.images).toBeGreaterThanOrEqual(2);

    const mine = exportProgress.filter((p) => p.exportId === exportId);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.at(-1)).toEqual({ exportId, done: 8, total: 8 });

    const unauthenticated = await download(ready.downloadId, false);
    expect(unauthenticated.status).toBe(401);

    const res = await download(ready.downloadId);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${ready.fileName}"`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.length).toBe(ready.bytes);

    const file = join(scratch, 'download.zip');
    writeFileSync(file, bytes);
    const entries = await readZip(file);
    const index = entries.find((e) => e.name === 'index.md');
    expect(index, `entries: ${entries.map((e) => e.name).join(', ')}`).toBeDefined();
    const text = index!.data.toString('utf8');
    expect(text).toContain(RICH_TITLE.replace('&', '\\&').slice(0, 6));
    expect(text).toContain('東京の川を歩く');
    // Each article is its own folder with index.md, and the images travel as files.
    expect(entries.filter((e) => /^[^/]+\/index\.md$/.test(e.name)).length).toBe(8);
    expect(entries.some((e) => /\/images\/[^/]+\.(png|jpe?g)$/.test(e.name))).toBe(true);

    // One download per export: the file is gone from the server afterwards.
    await new Promise((r) => setTimeout(r, 50));
    expect((await download(ready.downloadId)).status).toBe(404);
    expect(readdirSync(join(seeded.dir, 'exports'))).toEqual([]);
  });

  it('exports a JSON backup of only the tagged articles when a tag is the scope', async () => {
    const ready = await ok('export.run', { format: 'json', tag: 'rivers' });
    expect(ready.fileName).toMatch(/-backup\.json$/);
    expect(ready.articles).toBe(2);
    const res = await download(ready.downloadId);
    expect(res.headers.get('content-type')).toBe('application/json');
    const backup = JSON.parse(await res.text()) as { format: string; articles: { title: string }[] };
    expect(backup.format).toBe('folio-backup');
    expect(backup.articles.map((a) => a.title).sort()).toEqual([RICH_TITLE, 'Same Title']);
  });

  it('exports what a search finds, and refuses a format it does not know', async () => {
    const ready = await ok('export.run', { format: 'bibtex', query: 'Seine' });
    expect(ready.articles).toBe(1);
    const bib = await (await download(ready.downloadId)).text();
    expect(bib).toMatch(/^@\w+\{/m);
    expect(bib).toContain('Rivers');

    const bad = await dispatch(handlers, 'export.run', { format: 'docx' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.code).toBe('VALIDATION');
  });
});

describe('import.upload', () => {
  it('streams a bookmarks file through the bridge and, without fetching, lists its links as bookmarks', async () => {
    const before = seeded.archive.listArticles({ limit: 500 }).total;
    const res = await upload('bookmarks.html', BOOKMARKS, '&fetch=0&importId=bookmarks-0001');
    const body = (await res.json()) as Envelope<{ importId: string }>;
    expect(res.status).toBe(200);
    expect(body).toEqual({ ok: true, value: { importId: 'bookmarks-0001' } });

    const outcome = await outcomeOf('bookmarks-0001');
    expect(outcome).toMatchObject({ name: 'bookmarks.html', format: 'netscape', items: 3, bookmarked: 3, failed: 0 });
    expect(outcome.error).toBeUndefined();

    const titles = seeded.archive.listArticles({ limit: 500 }).items.map((a) => a.title);
    expect(titles).toEqual(expect.arrayContaining(['Orchards of quince', 'Tidal mills of Brittany', 'Lighthouse keepers']));
    expect(seeded.archive.listArticles({ limit: 500 }).total).toBe(before + 3);
    // The folder name became a tag, and the list was told to refresh.
    expect(seeded.archive.listArticles({ tag: 'reading', limit: 50 }).items.map((a) => a.title).sort()).toEqual(['Orchards of quince', 'Tidal mills of Brittany']);
    expect(changed.some((ids) => ids.length === 3)).toBe(true);
    // Progress started at zero and the upload was removed once imported.
    const mine = importProgress.filter((p) => p.importId === 'bookmarks-0001');
    expect(mine[0]).toMatchObject({ read: 0, settled: 0 });
    expect(readdirSync(join(seeded.dir, 'uploads'))).toEqual([]);

    // The same file again: every link is already there.
    const again = (await (await upload('bookmarks.html', BOOKMARKS, '&fetch=0')).json()) as Envelope<{ importId: string }>;
    expect(again.ok).toBe(true);
    if (again.ok) expect(await outcomeOf(again.value.importId)).toMatchObject({ items: 3, duplicate: 3, bookmarked: 0 });
  });

  it('takes an Instapaper CSV as base64 through the contract (the IPC form)', async () => {
    const csv =
      'URL,Title,Selection,Folder,Timestamp,Tags\n' +
      'https://example.org/canal-locks,Canal locks,,Unread,1700000000,[]\n' +
      'https://example.org/salt-marsh,Salt marshes,,Archive,1700000100,[]\n';
    const { importId } = await ok('import.upload', { name: 'links.csv', data: Buffer.from(csv).toString('base64'), fetch: false });
    const outcome = await outcomeOf(importId);
    expect(outcome.items).toBe(2);
    expect(outcome.bookmarked).toBe(2);
    const urls = seeded.archive.listArticles({ limit: 500 }).items.map((a) => a.url);
    expect(urls).toEqual(expect.arrayContaining(['https://example.org/canal-locks', 'https://example.org/salt-marsh']));
  });

  it('reports a broken file as BAD_FORMAT with its line number, keeping what came before', async () => {
    const truncated = `<!DOCTYPE NETSCAPE-Bookmark-file-1>
<DL><p>
    <DT><A HREF="https://example.com/before-the-break" ADD_DATE="1700000000">Before the break</A>
    <DT><A HREF="https://example.com/cut-off" ADD_DATE="17000`;
    const res = await upload('broken-bookmarks.html', truncated, '&fetch=0');
    const body = (await res.json()) as Envelope<{ importId: string }>;
    expect(body.ok).toBe(true);
    if (!body.ok) return;
    const outcome = await outcomeOf(body.value.importId);
    expect(outcome.error?.code).toBe('BAD_FORMAT');
    expect(outcome.error?.line).toBe(4);
    expect(outcome.error?.message).toContain('line 4');
    // The message names the file as the user knows it, not the server's temporary copy.
    expect(outcome.error?.message).not.toContain('uploads');
    expect(seeded.archive.listArticles({ limit: 500 }).items.some((a) => a.title === 'Before the break')).toBe(true);
  });

  it('captures a single saved .html page (not an export) as an article tagged with its file name', async () => {
    const paragraphs = Array.from({ length: 12 }, (_, i) => `<p>Paragraph ${i} about the hedgerows of Devon, their hawthorn, blackthorn and the birds that nest in them through the spring.</p>`).join('\n');
    const pageHtml = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Hedgerows Of Devon</title></head><body><article><h1>Hedgerows Of Devon</h1>${paragraphs}</article></body></html>`;
    const body = (await (await upload('my-essay.html', pageHtml, '&fetch=0')).json()) as Envelope<{ importId: string }>;
    if (!body.ok) throw new Error(body.error.message);
    const outcome = await outcomeOf(body.value.importId);
    expect(outcome).toMatchObject({ format: 'saved page', items: 1, saved: 1, failed: 0 });
    const tagged = seeded.archive.listArticles({ tag: 'my-essay', limit: 10 }).items;
    expect(tagged.map((a) => a.title)).toEqual(['Hedgerows Of Devon']);
    expect(seeded.archive.getArticle(tagged[0]!.id)?.html).toContain('hawthorn, blackthorn');
  });

  it('says in words when a file is no export Folio reads', async () => {
    const res = await upload('notes.txt', 'just some words, no links at all\n', '&fetch=0');
    const body = (await res.json()) as Envelope<{ importId: string }>;
    if (!body.ok) throw new Error(body.error.message);
    const outcome = await outcomeOf(body.value.importId);
    expect(outcome.error?.code).toBe('BAD_FORMAT');
    expect(outcome.error?.message.length).toBeGreaterThan(20);
    expect(outcome.items).toBe(0);
  });

  it('refuses an upload without a name, an empty file, and one over the cap, and needs the token', async () => {
    const noName = await fetch(`${bridge.url}api/import.upload`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bridge.token}`, 'content-type': 'application/octet-stream' },
      body: 'x',
    });
    expect(noName.status).toBe(400);
    const empty = await upload('empty.csv', '');
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as { error: { message: string } }).error.message).toContain('empty.csv');
    const anonymous = await fetch(`${bridge.url}api/import.upload?name=a.csv`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: 'x' });
    expect(anonymous.status).toBe(401);

    const small = await startBridge({ handlers, events, getImage: () => null, port: 0, rendererDir: scratch, maxUploadBytes: 1024 });
    try {
      const big = await fetch(`${small.url}api/import.upload?name=big.csv`, {
        method: 'POST',
        headers: { authorization: `Bearer ${small.token}`, 'content-type': 'application/octet-stream' },
        body: new Uint8Array(4096).fill(0x61),
      });
      expect(big.status).toBe(413);
      expect(((await big.json()) as { error: { code: string } }).error.code).toBe('TOO_LARGE');
    } finally {
      await small.close();
    }
    expect(existsSync(join(seeded.dir, 'uploads')) ? readdirSync(join(seeded.dir, 'uploads')) : []).toEqual([]);
  });
});
