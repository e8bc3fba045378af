import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createEventBus } from '../../app/api/events.js';
import { startBridge, type RunningBridge } from '../../app/bridge/server.js';
import { DEFAULT_SETTINGS, METHOD_NAMES, type FolioHandlers, type QueueItem } from '../../app/core/contract.js';
import { FolioError } from '../../app/core/errors.js';

// A real bridge on 127.0.0.1:0, spoken to with node's http.request so every header (Host,
// Origin, Sec-Fetch-Site, Cookie) is under the test's control.

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const PNG_SHA = createHash('sha256').update(PNG).digest('hex');
const HTML_BLOB = Buffer.from('<script>alert(1)</script>');
const HTML_SHA = createHash('sha256').update(HTML_BLOB).digest('hex');
const INDEX_HTML = '<!doctype html><title>Folio test UI</title><script type="module" src="/assets/app-1234.js"></script>';
const APP_JS = 'console.log("folio ui");';
const SECRET = 'TOP-SECRET-OUTSIDE-RENDERER-DIR';

function handlersForTest(): FolioHandlers {
  const tags = [{ tag: 'news', count: 2 }];
  const base = Object.fromEntries(
    METHOD_NAMES.map((name) => [name, async () => { throw new FolioError('INTERNAL', `${name} is not provided by this test`); }]),
  ) as unknown as FolioHandlers;
  return {
    ...base,
    'tags.list': async () => tags,
    'settings.get': async () => DEFAULT_SETTINGS,
    'articles.get': async ({ id }) => {
      throw new FolioError('NOT_FOUND', `No article #${id}.`);
    },
    'stats.get': async () => {
      throw new Error('secret internal detail');
    },
  };
}

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

let bridge: RunningBridge;
let root: string;
let rendererDir: string;
const events = createEventBus();

function request(
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer; host?: string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: options.host ?? '127.0.0.1',
        port: bridge.port,
        method: options.method ?? 'GET',
        path,
        headers: { host: `127.0.0.1:${bridge.port}`, ...options.headers },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const bearer = () => ({ authorization: `Bearer ${bridge.token}` });
const cookie = () => ({ cookie: `folio_token=${bridge.token}` });
const json = { 'content-type': 'application/json' };
const post = (method: string, body: unknown, headers: Record<string, string> = bearer()) =>
  request(`/api/${method}`, { method: 'POST', headers: { ...json, ...headers }, body: JSON.stringify(body) });

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'folio-bridge-'));
  rendererDir = join(root, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), INDEX_HTML);
  writeFileSync(join(rendererDir, 'assets', 'app-1234.js'), APP_JS);
  writeFileSync(join(rendererDir, '.env'), SECRET);
  writeFileSync(join(root, 'secret.txt'), SECRET);
  symlinkSync(join(root, 'secret.txt'), join(rendererDir, 'assets', 'escape.txt'));
  const images = new Map([
    [PNG_SHA, { type: 'image/png', data: PNG }],
    [HTML_SHA, { type: 'text/html', data: HTML_BLOB }],
  ]);
  bridge = await startBridge({
    handlers: handlersForTest(),
    events,
    getImage: (sha) => images.get(sha) ?? null,
    port: 0,
    rendererDir,
    maxBodyBytes: 64 * 1024,
  });
});

afterAll(async () => {
  await bridge?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('bridge: binding', () => {
  it('listens on 127.0.0.1 only', async () => {
    expect(bridge.address.address).toBe('127.0.0.1');
    expect(bridge.url).toBe(`http://127.0.0.1:${bridge.port}/`);
    expect(bridge.launchUrl).toBe(`http://127.0.0.1:${bridge.port}/?token=${bridge.token}`);
    // Other addresses of this machine, loopback or not, must refuse the connection.
    const others = ['127.0.0.2', '::1'];
    for (const list of Object.values(networkInterfaces())) {
      for (const a of list ?? []) if (!a.internal && a.family === 'IPv4') others.push(a.address);
    }
    for (const host of others) {
      const outcome = await new Promise<string>((resolve) => {
        const socket = net.connect({ host, port: bridge.port });
        socket.once('connect', () => {
          socket.destroy();
          resolve('connected');
        });
        socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
      });
      expect({ host, outcome }).not.toEqual({ host, outcome: 'connected' });
    }
  });

  it('generates a long random token when none is given, and refuses to start with an unsafe one', async () => {
    expect(bridge.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await expect(
      startBridge({ handlers: handlersForTest(), events, getImage: () => null, port: 0, token: 'short;=bad' }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('reports a busy port in words', async () => {
    await expect(
      startBridge({ handlers: handlersForTest(), events, getImage: () => null, port: bridge.port }),
    ).rejects.toThrow(/Port \d+ on 127\.0\.0\.1 is already in use.*--port 0/);
  });
});

describe('bridge: auth', () => {
  it('refuses API calls without a token (401, JSON envelope)', async () => {
    const reply = await post('tags.list', {}, {});
    expect(reply.status).toBe(401);
    expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
  });

  it('refuses a wrong bearer token and a wrong cookie (401)', async () => {
    expect((await post('tags.list', {}, { authorization: `Bearer ${bridge.token}x` })).status).toBe(401);
    expect((await post('tags.list', {}, { authorization: 'Bearer ' })).status).toBe(401);
    expect((await post('tags.list', {}, { cookie: 'folio_token=nope' })).status).toBe(401);
  });

  it('answers with the right bearer token or cookie (200 success envelope)', async () => {
    for (const headers of [bearer(), cookie(), { cookie: `other=1; folio_token=stale; folio_token=${bridge.token}` }]) {
      const reply = await post('tags.list', {}, headers);
      expect(reply.status).toBe(200);
      expect(reply.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(JSON.parse(reply.body)).toEqual({ ok: true, value: [{ tag: 'news', count: 2 }] });
    }
  });

  it('turns the launch URL into an HttpOnly SameSite=Strict cookie and redirects to / (303)', async () => {
    const reply = await request(`/?token=${bridge.token}`);
    expect(reply.status).toBe(303);
    expect(reply.headers.location).toBe('/');
    const setCookie = reply.headers['set-cookie']?.[0] ?? '';
    expect(setCookie).toMatch(new RegExp(`^folio_token=${bridge.token};`));
    expect(setCookie).toMatch(/;\s*HttpOnly/i);
    expect(setCookie).toMatch(/;\s*SameSite=Strict/i);
    expect(setCookie).toMatch(/;\s*Path=\//i);
    // The cookie it set opens the UI.
    const ui = await request('/', { headers: { cookie: setCookie.split(';')[0]! } });
    expect(ui.status).toBe(200);
    expect(ui.body).toBe(INDEX_HTML);
  });

  it('keeps the page address of the bookmarklet across the handshake, without a redirect', async () => {
    const page = 'https://example.com/a?b=1&c=2#frag';
    // With or without Sec-Fetch-Site (older browsers send none): a script-free page that
    // refreshes to /#add=…, so the Strict cookie it sets is sent (see bridge-browser.test.ts).
    for (const headers of [{}, { 'sec-fetch-site': 'cross-site' }] as Record<string, string>[]) {
      const reply = await request(`/?token=${bridge.token}&add=${encodeURIComponent(page)}`, { headers });
      expect(reply.status).toBe(200);
      expect(reply.headers['set-cookie']?.[0]).toMatch(/^folio_token=[^;]+; HttpOnly; SameSite=Strict; Path=\//);
      expect(reply.body).toContain(`<meta http-equiv="refresh" content="0; url=/#add=${encodeURIComponent(page)}">`);
      expect(reply.body).not.toContain('<script');
      expect(reply.body).not.toContain(bridge.token);
      expect(reply.headers['content-security-policy']).toMatch(/^default-src 'none'/);
    }
    // A launch URL opened from another site gets the same treatment.
    const crossSite = await request(`/?token=${bridge.token}`, { headers: { 'sec-fetch-site': 'cross-site' } });
    expect(crossSite.status).toBe(200);
    expect(crossSite.body).toContain('<meta http-equiv="refresh" content="0; url=/">');
    // Clipped, but never into half a character (which would make encoding throw).
    const long = await request(`/?token=${bridge.token}&add=${encodeURIComponent('a'.repeat(8191) + '😀tail')}`);
    expect(long.status).toBe(200);
    expect(long.body).toContain(`url=/#add=${'a'.repeat(8191)}"`);
  });

  it('escapes a hostile add= value in the handshake page', async () => {
    const reply = await request(`/?token=${bridge.token}&add=${encodeURIComponent('x"><script>alert(1)</script>')}`, {
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    expect(reply.body).not.toContain('<script>');
    expect(reply.body).not.toContain('x">');
    expect(reply.body).toContain('url=/#add=x%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E"');
  });

  it('shows a 401 page pointing at `folio serve` without a cookie, or with a wrong launch token', async () => {
    for (const path of ['/', `/?token=${bridge.token.slice(1)}`, '/bookmarklet', '/assets/app-1234.js']) {
      const reply = await request(path);
      expect(reply.status, path).toBe(401);
      expect(reply.body).toContain('folio serve');
      expect(reply.body).not.toContain(bridge.token);
      expect(reply.headers['set-cookie']).toBeUndefined();
    }
  });
});

describe('bridge: request guards', () => {
  it('refuses a foreign Origin (403), even with the token', async () => {
    for (const origin of ['http://evil.example', `http://127.0.0.1:${bridge.port + 1}`, 'null', `https://127.0.0.1:${bridge.port}`]) {
      const reply = await post('tags.list', {}, { ...bearer(), origin });
      expect(reply.status, origin).toBe(403);
      expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    const ours = await post('tags.list', {}, { ...bearer(), origin: `http://localhost:${bridge.port}` });
    expect(ours.status).toBe(200);
  });

  it('refuses a foreign Host (DNS rebinding) on every route (403)', async () => {
    for (const path of ['/', `/?token=${bridge.token}`, '/api/tags.list', `/assets/${PNG_SHA}`, '/api/events']) {
      const reply = await request(path, { headers: { ...bearer(), ...cookie(), host: `evil.example:${bridge.port}` } });
      expect(reply.status, path).toBe(403);
      expect(reply.headers['set-cookie']).toBeUndefined();
    }
    const wrongPort = await post('tags.list', {}, { ...bearer(), host: `127.0.0.1:${bridge.port + 1}` });
    expect(wrongPort.status).toBe(403);
    const localhost = await post('tags.list', {}, { ...bearer(), host: `localhost:${bridge.port}` });
    expect(localhost.status).toBe(200);
  });

  it('refuses a POST another site sent (Sec-Fetch-Site: cross-site / same-site) with 403', async () => {
    for (const site of ['cross-site', 'same-site']) {
      const reply = await post('tags.list', {}, { ...cookie(), 'sec-fetch-site': site });
      expect(reply.status, site).toBe(403);
    }
    expect((await post('tags.list', {}, { ...cookie(), 'sec-fetch-site': 'same-origin' })).status).toBe(200);
  });

  it('refuses an oversized body with 413, whether declared or streamed', async () => {
    const big = JSON.stringify({ urls: ['https://example.com/' + 'a'.repeat(100 * 1024)] });
    const declared = await post('capture.add', JSON.parse(big));
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body)).toMatchObject({ ok: false, error: { code: 'TOO_LARGE' } });

    // No Content-Length (chunked): the cap must hold while streaming.
    const streamed = await new Promise<Reply>((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port: bridge.port, method: 'POST', path: '/api/capture.add', agent: false,
          headers: { host: `127.0.0.1:${bridge.port}`, ...json, ...bearer() } },
        (res) => {
          let body = '';
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
        },
      );
      req.on('error', reject);
      for (let i = 0; i < 20; i++) req.write('x'.repeat(8 * 1024));
      req.end();
    });
    expect(streamed.status).toBe(413);
    // The server is still fine afterwards.
    expect((await post('tags.list', {})).status).toBe(200);
  });

  it('answers 405 (with Allow) for other HTTP methods on /api', async () => {
    for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
      const reply = await request('/api/tags.list', { method, headers: bearer() });
      expect(reply.status, method).toBe(405);
      expect(reply.headers.allow).toBe('POST');
    }
    expect((await request('/', { method: 'POST', headers: { ...cookie(), ...json }, body: '{}' })).status).toBe(405);
  });

  it('refuses non-JSON content types with 415', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1']) {
      const reply = await request('/api/tags.list', { method: 'POST', headers: { ...bearer(), 'content-type': type }, body: '{}' });
      expect(reply.status, type).toBe(415);
      expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED_TYPE' } });
    }
    const noType = await request('/api/tags.list', { method: 'POST', headers: bearer(), body: '{}' });
    expect(noType.status).toBe(415);
    const withCharset = await request('/api/tags.list', { method: 'POST', headers: { ...bearer(), 'content-type': 'application/json; charset=UTF-8' }, body: '{}' });
    expect(withCharset.status).toBe(200);
  });
});

describe('bridge: API', () => {
  it('answers an unknown method with 404 UNKNOWN_METHOD, its name JSON-escaped', async () => {
    const reply = await post('nope', {});
    expect(reply.status).toBe(404);
    expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    const hostile = await post(encodeURIComponent('<img src=x onerror=alert(1)>'), {});
    expect(hostile.status).toBe(404);
    expect(hostile.body).not.toMatch(/<img/);
  });

  it('answers invalid input with 400 VALIDATION naming the field', async () => {
    const reply = await post('articles.get', { id: 'seven' });
    expect(reply.status).toBe(400);
    const envelope = JSON.parse(reply.body);
    expect(envelope).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(envelope.error.message).toMatch(/^Invalid input for articles\.get: id: /);
  });

  it('answers malformed JSON with 400 BAD_FORMAT, and an empty body as {}', async () => {
    const bad = await request('/api/tags.list', { method: 'POST', headers: { ...bearer(), ...json }, body: '{"a":' });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { code: 'BAD_FORMAT' } });
    const empty = await request('/api/tags.list', { method: 'POST', headers: { ...bearer(), ...json } });
    expect(empty.status).toBe(200);
  });

  it('maps handler errors to statuses: NOT_FOUND 404, INTERNAL 500 without details', async () => {
    const missing = await post('articles.get', { id: 9 });
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body)).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'No article #9.' } });
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    const broken = await post('stats.get', {});
    spy.mockRestore();
    expect(broken.status).toBe(500);
    expect(broken.body).not.toContain('secret internal detail');
    expect(JSON.parse(broken.body)).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });
});

describe('bridge: stored images', () => {
  it('serves a stored image with its type, nosniff, immutable caching and an inert CSP', async () => {
    const reply = await new Promise<{ status: number; headers: http.IncomingHttpHeaders; data: Buffer }>((resolve, reject) => {
      http.get({ host: '127.0.0.1', port: bridge.port, path: `/assets/${PNG_SHA}`, headers: cookie(), agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, data: Buffer.concat(chunks) }));
      }).on('error', reject);
    });
    expect(reply.status).toBe(200);
    expect(reply.data.equals(PNG)).toBe(true);
    expect(reply.headers['content-type']).toBe('image/png');
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    expect(reply.headers['cache-control']).toBe('private, max-age=31536000, immutable');
    expect(reply.headers['content-security-policy']).toBe("default-src 'none'");
  });

  it('404s unknown, malformed and non-image hashes', async () => {
    const paths = [
      `/assets/${'0'.repeat(64)}`, // well-formed, not stored
      `/assets/${PNG_SHA.toUpperCase()}`, // must be lowercase
      `/assets/${PNG_SHA.slice(1)}`, // 63 chars
      `/assets/${PNG_SHA}0`, // 65 chars
      `/assets/${HTML_SHA}`, // stored, but not an image
    ];
    for (const path of paths) {
      const reply = await request(path, { headers: cookie() });
      expect(reply.status, path).toBe(404);
      expect(reply.body).not.toContain('<script>');
    }
  });

  it('refuses traversal attempts without revealing any file', async () => {
    const paths = [
      '/assets/../package.json',
      '/assets/%2e%2e%2fpackage.json',
      '/assets/%2E%2E/%2E%2E/secret.txt',
      '/..%2f..%2fetc/passwd',
      '/../../etc/passwd',
      '/..%5c..%5csecret.txt',
      '/..%2fsecret.txt',
      '/assets/..\\..\\secret.txt',
      `/assets/${PNG_SHA}/x`,
      '/%00index.html',
      '/assets/app-1234.js%00.png',
      '/assets/escape.txt', // a symlink out of the renderer folder
      '/.env', // dot-files are never served
      '/assets//app-1234.js',
      '/%',
    ];
    for (const path of paths) {
      const reply = await request(path, { headers: cookie() });
      expect([400, 404], path).toContain(reply.status);
      expect(reply.body, path).not.toContain(SECRET);
      expect(reply.body, path).not.toContain('"name": "folio"');
      expect(reply.body, path).not.toContain('root:');
    }
  });
});

describe('bridge: renderer files', () => {
  it('serves / with the strict CSP and hardening headers', async () => {
    const reply = await request('/', { headers: cookie() });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(reply.headers['content-security-policy']).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    expect(reply.headers['x-frame-options']).toBe('DENY');
    expect(reply.headers['referrer-policy']).toBe('no-referrer');
    expect(reply.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
  });

  it('serves built assets with their content type', async () => {
    const reply = await request('/assets/app-1234.js', { headers: cookie() });
    expect(reply.status).toBe(200);
    expect(reply.body).toBe(APP_JS);
    expect(reply.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    expect((await request('/assets/missing.js', { headers: cookie() })).status).toBe(404);
  });

  it('explains how to build the UI when index.html is missing', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'folio-empty-renderer-'));
    const other = await startBridge({ handlers: handlersForTest(), events, getImage: () => null, port: 0, rendererDir: empty, token: bridge.token });
    try {
      const reply = await new Promise<Reply>((resolve, reject) => {
        http.get({ host: '127.0.0.1', port: other.port, path: '/', headers: cookie(), agent: false }, (res) => {
          let body = '';
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
        }).on('error', reject);
      });
      expect(reply.status).toBe(503);
      expect(reply.body).toContain('npm run build');
    } finally {
      await other.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('serves the bookmarklet page: a script-free page whose link opens the launch URL with the page address', async () => {
    const reply = await request('/bookmarklet', { headers: cookie() });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-security-policy']).toMatch(/^default-src 'none'/);
    expect(reply.body).not.toMatch(/<script/i);
    const href = /<a href="([^"]+)">Save to Folio<\/a>/.exec(reply.body)?.[1];
    expect(href).toBeDefined();
    const js = href!.replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)));
    expect(js.startsWith('javascript:')).toBe(true);
    // Run the bookmarklet's code against a fake page to see which address it opens.
    let opened = '';
    const run = new Function('location', 'window', 'encodeURIComponent', js.slice('javascript:'.length));
    run({ href: 'https://news.example/story?id=1' }, { open: (u: string) => ((opened = u), {}) }, encodeURIComponent);
    expect(opened).toBe(`http://127.0.0.1:${bridge.port}/?token=${bridge.token}&add=${encodeURIComponent('https://news.example/story?id=1')}`);
  });
});

describe('bridge: server-sent events', () => {
  it('delivers emitted events to a connected client and unsubscribes when it leaves', async () => {
    const before = events.listenerCount();
    const received = await new Promise<{ headers: http.IncomingHttpHeaders; text: string }>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port: bridge.port, path: '/api/events', headers: cookie(), agent: false }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
          if (text.includes(': connected')) {
            if (!text.includes('event: queue.progress')) {
              const item: QueueItem = { jobId: 1, url: 'https://a.example/x', status: 'saved', attempts: 1, articleId: 5, error: null, updatedAt: '2024-01-01T00:00:00.000Z' };
              events.emit('queue.progress', { item, status: { pending: 0, running: 0, saved: 1, duplicate: 0, failed: 0 } });
              events.emit('library.changed', { ids: [5] });
            }
          }
          if (text.includes('event: library.changed')) {
            req.destroy();
            resolve({ headers: res.headers, text });
          }
        });
      });
      req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' ? undefined : reject(err)));
    });
    expect(received.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(received.text).toContain('event: queue.progress\ndata: {"item":{"jobId":1,');
    expect(received.text).toContain('event: library.changed\ndata: {"ids":[5]}\n\n');
    // The server notices the client left and drops its subscription.
    await vi.waitFor(() => expect(events.listenerCount()).toBe(before), { timeout: 2000 });
  });

  it('requires auth for the event stream and sends heartbeats', async () => {
    expect((await request('/api/events')).status).toBe(401);
    const quick = await startBridge({ handlers: handlersForTest(), events, getImage: () => null, port: 0, rendererDir, token: bridge.token, heartbeatMs: 50 });
    try {
      const text = await new Promise<string>((resolve, reject) => {
        const req = http.get({ host: '127.0.0.1', port: quick.port, path: '/api/events', headers: cookie(), agent: false }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => {
            body += c;
            if (body.includes(': heartbeat\n\n')) {
              req.destroy();
              resolve(body);
            }
          });
        });
        req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' ? undefined : reject(err)));
      });
      expect(text).toContain(': heartbeat\n\n');
    } finally {
      await quick.close();
    }
  });

  it('closes open event streams when the bridge closes', async () => {
    const other = await startBridge({ handlers: handlersForTest(), events, getImage: () => null, port: 0, rendererDir, token: bridge.token });
    const before = events.listenerCount();
    const ended = new Promise<void>((resolve, reject) => {
      http.get({ host: '127.0.0.1', port: other.port, path: '/api/events', headers: cookie(), agent: false }, (res) => {
        res.resume();
        res.on('data', () => {
          if (events.listenerCount() > before) void other.close();
        });
        res.on('end', () => resolve());
        res.on('error', () => resolve());
      }).on('error', reject);
    });
    await ended;
    expect(events.listenerCount()).toBe(before);
  });
});
