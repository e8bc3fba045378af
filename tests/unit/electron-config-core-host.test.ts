import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../app/core/contract.js';
import { startCore } from '../../main/core-runtime.js';
import { HostClient, type HostToMain, type MainToHost } from '../../main/host-protocol.js';
import { serveCore, type HostPort } from '../../main/host-server.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';

// The conversation between Electron's main process and the core host, minus Electron: the
// core host's real code (serveCore + startCore: real archive, queue, handlers, extraction
// pool) on one end of a real MessageChannel (structured cloning, as with a utility process's
// parentPort), main's HostClient on the other.

const dirs: string[] = [];
const ports: MessagePort[] = [];
afterAll(() => {
  for (const p of ports) p.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'folio-core-host-'));
  dirs.push(dir);
  return dir;
}

/** Wires a HostClient to serveCore over a MessageChannel; collects non-reply messages. */
function connect(core: ReturnType<typeof startCore>) {
  const { port1: mainSide, port2: hostSide } = new MessageChannel();
  ports.push(mainSide, hostSide);
  const hostPort: HostPort = {
    post: (m) => hostSide.postMessage(m),
    onMessage: (fn) => hostSide.on('message', (m: MainToHost) => fn(m)),
  };
  let shutDown = false;
  serveCore(hostPort, core, () => (shutDown = true));
  const client = new HostClient((m) => mainSide.postMessage(m));
  const received: HostToMain[] = [];
  const waiters: { test: (m: HostToMain) => boolean; resolve: (m: HostToMain) => void }[] = [];
  mainSide.on('message', (m: HostToMain) => {
    const other = client.receive(m);
    if (!other) return;
    received.push(other);
    for (const w of [...waiters]) {
      if (w.test(other)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(other);
      }
    }
  });
  const waitFor = (test: (m: HostToMain) => boolean, ms = 20_000) =>
    new Promise<HostToMain>((resolve, reject) => {
      const hit = received.find(test);
      if (hit) return resolve(hit);
      const timer = setTimeout(() => reject(new Error(`no matching message within ${ms} ms; got ${JSON.stringify(received)}`)), ms);
      waiters.push({ test, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  return {
    client,
    received,
    waitFor,
    shutdown: () => mainSide.postMessage({ kind: 'shutdown' } satisfies MainToHost),
    get shutDown() {
      return shutDown;
    },
  };
}

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

describe('core host over a MessagePort', () => {
  let server: FixtureServer | null = null;
  afterEach(async () => {
    await server?.close();
    server = null;
  });

  it('opens the archive, answers contract calls, validates input, and keeps state', async () => {
    const dbPath = join(tempDir(), 'folio.db');
    const host = connect(startCore(dbPath));
    const ready = await host.waitFor((m) => m.kind === 'ready');
    expect(ready).toEqual({ kind: 'ready', archivePath: dbPath });

    expect(await host.client.invoke('settings.get', {})).toEqual({ ok: true, value: DEFAULT_SETTINGS });
    const updated = await host.client.invoke('settings.set', { theme: 'dark' });
    expect(updated).toEqual({ ok: true, value: { ...DEFAULT_SETTINGS, theme: 'dark' } });
    expect(await host.client.invoke('settings.get', {})).toEqual({ ok: true, value: { ...DEFAULT_SETTINGS, theme: 'dark' } });

    const invalid = await host.client.invoke('articles.get', { id: 'seven' });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect((invalid as { error: { message: string } }).error.message).toMatch(/id/);
    expect(await host.client.invoke('no.such.method', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    expect(await host.client.image('f'.repeat(64))).toBeNull();

    host.shutdown();
    await expect.poll(() => host.shutDown, { timeout: 10_000 }).toBe(true);
  });

  it('captures in the host, forwards queue events to main, and serves the stored image bytes', async () => {
    server = await startFixtureServer({
      '/article': {
        body: `<!doctype html><html><head><title>Tide tables</title></head><body><article><h1>Tide tables</h1>
${'<p>The harbour master posts the tide tables each morning so that the fishing boats know when to leave. </p>'.repeat(10)}
<img src="/tide.png" alt="chart" width="200" height="100"></article></body></html>`,
      },
      '/tide.png': { headers: { 'content-type': 'image/png' }, body: PNG },
    });
    const host = connect(startCore(join(tempDir(), 'folio.db')));
    await host.waitFor((m) => m.kind === 'ready');
    await host.client.invoke('settings.set', { allowPrivateAddresses: true }); // the fixture server is on loopback

    const added = await host.client.invoke('capture.add', { urls: [server.url('/article')] });
    expect(added.ok).toBe(true);
    const done = await host.waitFor(
      (m) => m.kind === 'event' && m.name === 'queue.progress' && ['saved', 'failed'].includes((m.payload as { item: { status: string } }).item.status),
      30_000,
    );
    const item = (done as { payload: { item: { status: string; articleId: number; error: unknown } } }).payload.item;
    expect(item.status, JSON.stringify(item.error)).toBe('saved');

    const detail = (await host.client.invoke('articles.get', { id: item.articleId })) as { ok: true; value: { title: string; html: string } };
    expect(detail.value.title).toBe('Tide tables');
    const sha = /folio-asset:([0-9a-f]{64})/.exec(detail.value.html)?.[1];
    expect(sha).toBeTruthy();
    const image = await host.client.image(sha!);
    expect(image?.type).toBe('image/png');
    expect(Buffer.from(image!.data)).toEqual(PNG);

    host.shutdown();
    await expect.poll(() => host.shutDown, { timeout: 10_000 }).toBe(true);
  }, 60_000);

  it('reports a core that cannot start, and answers every call with that reason', async () => {
    const notAnArchive = join(tempDir(), 'notes.db');
    writeFileSync(notAnArchive, 'this is a text file, not SQLite\n'.repeat(100));
    const host = connect(startCore(notAnArchive));
    const fatal = await host.waitFor((m) => m.kind === 'fatal');
    expect(fatal).toMatchObject({ kind: 'fatal', error: { code: 'ARCHIVE_CORRUPT' } });
    const answer = await host.client.invoke('stats.get', {});
    expect(answer).toEqual({ ok: false, error: (fatal as { error: unknown }).error });
    expect(await host.client.image('a'.repeat(64))).toBeNull();
  });
});

describe("main's HostClient", () => {
  it('matches replies to calls whatever their order', async () => {
    const sent: MainToHost[] = [];
    const client = new HostClient((m) => sent.push(m));
    const a = client.invoke('stats.get', {});
    const b = client.invoke('tags.list', {});
    const img = client.image('c'.repeat(64));
    expect(sent.map((m) => m.kind)).toEqual(['invoke', 'invoke', 'image']);
    const [ia, ib, ii] = sent.map((m) => (m as { id: number }).id);
    client.receive({ kind: 'image', id: ii!, image: { type: 'image/gif', data: new Uint8Array([1]) } });
    client.receive({ kind: 'reply', id: ib!, envelope: { ok: true, value: 'tags' } });
    client.receive({ kind: 'reply', id: ia!, envelope: { ok: true, value: 'stats' } });
    expect(await a).toEqual({ ok: true, value: 'stats' });
    expect(await b).toEqual({ ok: true, value: 'tags' });
    expect(await img).toEqual({ type: 'image/gif', data: new Uint8Array([1]) });
    expect(client.pendingCount).toBe(0);
    // Late or unknown replies are dropped; events pass through.
    expect(client.receive({ kind: 'reply', id: 999, envelope: { ok: true, value: 1 } })).toBeNull();
    const event: HostToMain = { kind: 'event', name: 'library.changed', payload: { ids: [1] } };
    expect(client.receive(event)).toBe(event);
  });

  it('answers every pending call when the host goes away, so nothing hangs', async () => {
    const client = new HostClient(() => {});
    const calls = [client.invoke('articles.list', {}), client.invoke('stats.get', {})];
    const img = client.image('d'.repeat(64));
    client.failAll('the core process stopped unexpectedly (exit code 1)');
    for (const envelope of await Promise.all(calls)) {
      expect(envelope).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
      expect((envelope as { error: { message: string } }).error.message).toMatch(/stopped unexpectedly/);
    }
    expect(await img).toBeNull();
    expect(client.pendingCount).toBe(0);
  });

  it('turns an input that cannot cross the port into an error envelope', async () => {
    const { port1, port2 } = new MessageChannel();
    ports.push(port1, port2);
    const client = new HostClient((m) => port1.postMessage(m));
    const envelope = await client.invoke('articles.list', { sort: () => 'functions cannot be cloned' });
    expect(envelope).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect((envelope as { error: { message: string } }).error.message).toMatch(/could not be sent/);
    expect(client.pendingCount).toBe(0);
  });
});
