import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../app/api/dispatch.js';
import { createEventBus } from '../../app/api/events.js';
import { createHandlers } from '../../app/api/handlers.js';
import { SNIPPET_MARK_END, SNIPPET_MARK_START } from '../../app/core/article.js';
import { METHOD_NAMES, type Envelope, type FolioEvents, type FolioHandlers, type MethodName, type OutputOf } from '../../app/core/contract.js';
import { captureOptionsFromSettings } from '../../app/queue/capture-settings.js';
import { createQueueRunner, type QueueRunner } from '../../app/queue/runner.js';
import type { Archive } from '../../app/store/archive.js';
import { openArchive } from '../../app/store/open-archive.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { generateText } from '../helpers/make-capture.js';

function articlePage(title: string, seed: number, extra = ''): string {
  const body = generateText(seed, 400)
    .split('\n\n')
    .map((p) => `<p>${p}</p>`)
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>
<body><article><h1>${title}</h1><p>${extra}</p>${body}</article></body></html>`;
}

let dir: string;
let archive: Archive;
let server: FixtureServer;
let runner: QueueRunner;
let handlers: FolioHandlers;
const events = createEventBus();
const changed: number[][] = [];
const progress: FolioEvents['queue.progress'][] = [];
const called = new Set<string>();

/** Calls through dispatch (validation included), like every transport does. */
async function call<M extends MethodName>(method: M, input: unknown): Promise<Envelope<OutputOf<M>>> {
  called.add(method);
  return (await dispatch(handlers, method, input)) as Envelope<OutputOf<M>>;
}
async function ok<M extends MethodName>(method: M, input: unknown): Promise<OutputOf<M>> {
  const result = await call(method, input);
  if (!result.ok) throw new Error(`${method} failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'folio-handlers-'));
  archive = openArchive(join(dir, 'folio.db'));
  server = await startFixtureServer({
    '/gardens': { body: articlePage('Winter Gardens Of The North', 1, 'The quince orchard blossoms late.') },
    '/rivers': { body: articlePage('Rivers And Their Bridges', 2) },
    '/flaky': { status: 503, body: 'busy' },
  });
  runner = createQueueRunner({ archive, events, backoff: () => 10, maxAttempts: 2, captureOptions: { render: 'never' } });
  handlers = createHandlers({ archive, events, runner });
  events.on('library.changed', (p) => changed.push(p.ids));
  events.on('queue.progress', (p) => progress.push(p));
});
afterAll(async () => {
  await runner.stop();
  archive.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('contract handlers over a real archive', () => {
  it('capture.add queues, the runner saves, articles.list/get/search show the articles', async () => {
    const added = await ok('capture.add', { urls: [server.url('/gardens'), server.url('/rivers?utm_source=feed')], tags: ['Nature'] });
    expect(added.jobs.map((j) => j.url)).toEqual([server.url('/gardens'), server.url('/rivers')]);
    await runner.drain();
    expect(progress.some((p) => p.item.jobId === added.jobs[0]!.jobId && p.item.status === 'saved')).toBe(true);

    const list = await ok('articles.list', { sort: 'title', order: 'asc' });
    expect(list.total).toBe(2);
    expect(list.items.map((a) => a.title)).toEqual(['Rivers And Their Bridges', 'Winter Gardens Of The North']);
    expect(list.items[0]!.tags).toEqual(['nature']);
    expect(changed.flat()).toEqual(expect.arrayContaining(list.items.map((a) => a.id)));

    const gardens = list.items[1]!;
    const detail = await ok('articles.get', { id: gardens.id });
    expect(detail.html).toContain('quince orchard');
    const found = await ok('articles.search', { query: 'quince' });
    expect(found.total).toBe(1);
    expect(found.items[0]!.id).toBe(gardens.id);
    expect(found.items[0]!.snippet).toContain(`${SNIPPET_MARK_START}quince${SNIPPET_MARK_END}`);
    expect(found).not.toHaveProperty('query');
  });

  it('changes tags, flags, progress; deletes and restores', async () => {
    const [first] = (await ok('articles.list', { sort: 'title' })).items;
    const id = first!.id;
    changed.length = 0;
    expect((await ok('articles.setTags', { id, tags: ['Later', 'maps'] })).tags).toEqual(['later', 'maps']);
    expect(await ok('articles.setFlags', { ids: [id], read: true, favorite: true })).toEqual({ updated: 1 });
    expect(await ok('articles.setProgress', { id, progress: 0.5 })).toEqual({ ok: true });
    expect(await ok('articles.get', { id })).toMatchObject({ read: true, favorite: true, archived: false, readingProgress: 0.5 });
    expect(await ok('articles.list', { state: 'favorite' })).toMatchObject({ total: 1 });
    expect(await ok('tags.list', {})).toEqual(expect.arrayContaining([{ tag: 'later', count: 1 }, { tag: 'nature', count: 1 }]));
    expect(await ok('sites.list', {})).toEqual([{ site: '127.0.0.1', count: 2 }]);

    expect(await ok('articles.delete', { ids: [id] })).toEqual({ deleted: 1 });
    expect(await call('articles.get', { id })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect((await ok('articles.list', {})).total).toBe(1);
    expect(await ok('articles.restore', { ids: [id] })).toEqual({ restored: 1 });
    expect((await ok('articles.get', { id })).tags).toEqual(['later', 'maps']);
    expect(changed).toEqual([[id], [id], [id], [id]]);

    const stats = await ok('stats.get', {});
    expect(stats).toMatchObject({ articles: 2, bookmarks: 0, favorites: 1, unread: 1, queue: { pending: 0, running: 0 } });
  });

  it('articles.refresh re-captures through the queue and keeps the tags', async () => {
    const id = archive.findByUrl(server.url('/rivers'))!;
    server.route('/rivers', { body: articlePage('Rivers And Their Bridges, Revised', 3) });
    const tagsBefore = (await ok('articles.get', { id })).tags;
    expect(tagsBefore.length).toBeGreaterThan(0);
    const { jobId } = await ok('articles.refresh', { id });
    await runner.drain();
    expect(archive.queue.getJob(jobId)).toMatchObject({ status: 'saved', articleId: id });
    expect(await ok('articles.get', { id })).toMatchObject({ title: 'Rivers And Their Bridges, Revised', tags: tagsBefore });
    expect(await call('articles.refresh', { id: 99999 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('queue.status, queue.retry and queue.clearFinished', async () => {
    const { jobs } = await ok('capture.add', { urls: [server.url('/flaky')] });
    await runner.drain();
    let status = await ok('queue.status', { limit: 10 });
    expect(status).toMatchObject({ failed: 1, pending: 0, running: 0 });
    const failed = status.items.find((i) => i.jobId === jobs[0]!.jobId)!;
    expect(failed).toMatchObject({ status: 'failed', attempts: 2, error: { code: 'HTTP_STATUS' } });
    expect(Object.keys(failed).sort()).toEqual(['articleId', 'attempts', 'error', 'jobId', 'status', 'updatedAt', 'url']);

    server.route('/flaky', { body: articlePage('Back Up Again', 4) });
    expect(await ok('queue.retry', { jobIds: [failed.jobId] })).toEqual({ retried: 1 });
    await runner.drain();
    expect(archive.queue.getJob(failed.jobId)).toMatchObject({ status: 'saved' });

    const before = await ok('queue.status', {});
    expect(await ok('queue.clearFinished', {})).toEqual({ cleared: before.saved + before.duplicate });
    expect(await ok('queue.status', {})).toMatchObject({ saved: 0, duplicate: 0, items: [] });
  });

  it('settings round-trip and feed the captures', async () => {
    const defaults = await ok('settings.get', {});
    expect(defaults).toMatchObject({ renderMode: 'auto', allowPrivateAddresses: false });
    const updated = await ok('settings.set', { theme: 'dark', fontSize: 20, renderMode: 'never' });
    expect(updated).toMatchObject({ theme: 'dark', fontSize: 20, renderMode: 'never', lineWidth: defaults.lineWidth });
    expect(await ok('settings.get', {})).toEqual(updated);
    expect(await call('settings.set', { fontSize: 99 })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    // What the runner lays under each job's capture options: the stored settings, flags winning.
    await ok('settings.set', { allowPrivateAddresses: true });
    const stored = archive.getSettings();
    expect(captureOptionsFromSettings(stored)).toMatchObject({ render: 'never', fetch: { allowPrivateAddresses: true }, images: { allowPrivateAddresses: true } });
    expect(captureOptionsFromSettings(stored, { render: 'always', fetch: { allowPrivateAddresses: false } })).toMatchObject({
      render: 'always',
      fetch: { allowPrivateAddresses: false },
      images: { allowPrivateAddresses: false },
    });
  });

  it('rejects bad input with validation errors, and file paths in capture.add', async () => {
    expect(await call('capture.add', { urls: [] })).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringContaining('urls') } });
    expect(await call('articles.get', { id: -1 })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await call('articles.setFlags', { ids: [] })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await call('articles.setProgress', { id: 1, progress: 2 })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await call('articles.search', { query: 42 })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await call('queue.retry', { jobIds: ['a'] })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await call('capture.add', { urls: ['/etc/passwd'] })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('/etc/passwd') } });
    expect(await call('capture.add', { urls: ['file:///etc/passwd'] })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await call('articles.setTags', { id: 424242, tags: ['x'] })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  // Export/import are covered in depth by handlers-io.test.ts; here, that they answer at all.
  it('export.run writes a downloadable export; import.upload validates its base64', async () => {
    expect((await ok('export.run', { format: 'csl-json' })).fileName).toMatch(/-citations\.json$/);
    expect(await call('import.upload', { name: 'x.csv', data: 'not base64!' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });

  it('exercised every method of the contract', () => {
    expect([...called].sort()).toEqual([...METHOD_NAMES].sort());
  });
});
