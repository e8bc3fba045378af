import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { SNIPPET_MARK_END, SNIPPET_MARK_START, type ArticleDetail, type ArticleSummary } from '../../app/core/article.js';
import { DEFAULT_SETTINGS, type FolioEvents, type QueueItem, type Settings } from '../../app/core/contract.js';

/**
 * A STAND-IN for `folio serve`, for the renderer's UI shell test only: it serves the built
 * renderer with the real CSP header and answers a handful of /api/* methods from in-memory
 * arrays, speaking the bridge's wire protocol (POST JSON -> {ok,value}|{ok:false,error};
 * server-sent events on /api/events; images on /assets/<sha256>). It is NOT the core: the
 * real end-to-end test runs against `folio serve` itself.
 */

export const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
};

export interface FakeCore {
  origin: string;
  /** Every /api call received, in order. */
  calls: { method: string; input: Record<string, unknown> }[];
  /** Every request path, for asserting what the page did (not) load. */
  paths: string[];
  articles: (ArticleDetail & { deleted?: boolean })[];
  settings: Settings;
  /** When true, /api calls fail at the socket (a stopped server, as the page sees it). */
  down: boolean;
  /** Milliseconds to hold an answer back (to make answers arrive out of order). */
  delay: (method: string, input: Record<string, unknown>) => number;
  push<E extends keyof FolioEvents>(event: E, payload: FolioEvents[E]): void;
  close(): Promise<void>;
}

export function summary(a: ArticleDetail): ArticleSummary {
  const { html: _h, text: _t, dir: _d, extractor: _e, rendered: _r, fetchedAt: _f, images: _i, ...rest } = a;
  return rest;
}

export async function startFakeCore(opts: { rendererDir: string; articles: ArticleDetail[]; assets: Map<string, Uint8Array> }): Promise<FakeCore> {
  const sockets = new Set<Socket>();
  const streams = new Set<http.ServerResponse>();
  let nextJob = 100;
  const jobs = new Map<number, QueueItem>();

  const core: FakeCore = {
    origin: '',
    calls: [],
    paths: [],
    articles: opts.articles.map((a) => ({ ...a })),
    settings: { ...DEFAULT_SETTINGS },
    down: false,
    delay: () => 0,
    push(event, payload) {
      for (const res of streams) res.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };

  const live = () => core.articles.filter((a) => !a.deleted);
  const byId = (id: unknown) => live().find((a) => a.id === id);
  const notFound = (id: unknown) => {
    throw Object.assign(new Error(`No article with id ${String(id)}: it may have been deleted. Reload the list.`), { code: 'NOT_FOUND' });
  };
  const progress = (item: QueueItem) => {
    jobs.set(item.jobId, item);
    core.push('queue.progress', { item, status: { pending: 0, running: 0, saved: 0, duplicate: 0, failed: 0 } });
  };

  const handlers: Record<string, (input: Record<string, unknown>) => unknown> = {
    'settings.get': () => core.settings,
    'settings.set': (input) => (core.settings = { ...core.settings, ...input }),
    'queue.status': () => ({ pending: 0, running: 0, saved: 0, duplicate: 0, failed: 0, items: [] }),
    'tags.list': () => {
      const counts = new Map<string, number>();
      for (const a of live()) for (const t of a.tags) counts.set(t, (counts.get(t) ?? 0) + 1);
      return [...counts].map(([tag, count]) => ({ tag, count }));
    },
    'sites.list': () => {
      const counts = new Map<string, number>();
      for (const a of live()) if (a.siteName) counts.set(a.siteName, (counts.get(a.siteName) ?? 0) + 1);
      return [...counts].map(([site, count]) => ({ site, count }));
    },
    'articles.list': (input) => {
      const state = input.state ?? 'all';
      let items = live().filter(
        (a) =>
          (state === 'all' ||
            (state === 'unread' && !a.read) ||
            (state === 'read' && a.read) ||
            (state === 'archived' && a.archived) ||
            (state === 'favorite' && a.favorite)) &&
          (!input.tag || a.tags.includes(input.tag as string)) &&
          (!input.site || a.siteName === input.site),
      );
      const sort = (input.sort as string) ?? 'saved';
      const key = (a: ArticleSummary) => (sort === 'title' ? a.title : sort === 'published' ? (a.publishedTime ?? '') : a.savedAt);
      items = items.sort((x, y) => key(x).localeCompare(key(y)));
      if ((input.order ?? 'desc') === 'desc') items.reverse();
      const offset = (input.offset as number) ?? 0;
      const limit = (input.limit as number) ?? 50;
      return { items: items.slice(offset, offset + limit).map(summary), total: items.length, offset, limit };
    },
    'articles.search': (input) => {
      // Enough of a search for the shell: words matched in title or text, marked in the snippet.
      const words = String(input.query).toLowerCase().split(/\s+/).filter(Boolean);
      const hits = live().filter((a) => words.every((w) => `${a.title} ${a.text}`.toLowerCase().includes(w)));
      const offset = (input.offset as number) ?? 0;
      const limit = (input.limit as number) ?? 50;
      const items = hits.slice(offset, offset + limit).map((a) => {
        let snippet = a.text.slice(0, 160);
        for (const w of words) snippet = snippet.replace(new RegExp(`(${w})`, 'ig'), `${SNIPPET_MARK_START}$1${SNIPPET_MARK_END}`);
        return { ...summary(a), snippet, score: 1 };
      });
      return { items, total: hits.length, offset, limit };
    },
    'articles.get': (input) => byId(input.id) ?? notFound(input.id),
    'articles.setFlags': (input) => {
      for (const id of input.ids as number[]) {
        const a = byId(id) ?? notFound(id);
        for (const k of ['read', 'archived', 'favorite'] as const) if (typeof input[k] === 'boolean') a[k] = input[k] as boolean;
      }
      return { updated: (input.ids as number[]).length };
    },
    'articles.setTags': (input) => {
      const a = byId(input.id) ?? notFound(input.id);
      a.tags = [...new Set(input.tags as string[])];
      return summary(a);
    },
    'articles.setProgress': (input) => {
      (byId(input.id) ?? notFound(input.id)).readingProgress = input.progress as number;
      return { ok: true };
    },
    'articles.delete': (input) => {
      for (const id of input.ids as number[]) (byId(id) ?? notFound(id)).deleted = true;
      return { deleted: (input.ids as number[]).length };
    },
    'articles.restore': (input) => {
      for (const a of core.articles) if ((input.ids as number[]).includes(a.id)) a.deleted = false;
      return { restored: (input.ids as number[]).length };
    },
    // Captures "fail" first and succeed on retry, so the test sees both paths through the UI.
    'capture.add': (input) => {
      const created = (input.urls as string[]).map((url) => ({ jobId: nextJob++, url }));
      setTimeout(() => {
        for (const { jobId, url } of created) {
          const base = { jobId, url, attempts: 1, articleId: null, updatedAt: new Date().toISOString() };
          progress({ ...base, status: 'running', error: null });
          setTimeout(
            () =>
              progress({
                ...base,
                status: 'failed',
                error: { code: 'DNS_FAILED', message: `Couldn't look up the address of ${url}: check the spelling, or your connection.` },
              }),
            60,
          );
        }
      }, 60);
      return { jobs: created };
    },
    'queue.retry': (input) => {
      for (const jobId of input.jobIds as number[]) {
        const item = jobs.get(jobId);
        if (!item) continue;
        setTimeout(() => progress({ ...item, status: 'running', error: null, attempts: item.attempts + 1 }), 40);
        setTimeout(() => progress({ ...item, status: 'saved', error: null, attempts: item.attempts + 1, articleId: live()[0]?.id ?? null }), 100);
      }
      return { retried: (input.jobIds as number[]).length };
    },
    'queue.clearFinished': () => ({ cleared: 0 }),
  };

  async function api(req: http.IncomingMessage, res: http.ServerResponse, method: string) {
    if (core.down) {
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
    core.calls.push({ method, input });
    const handler = handlers[method];
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (!handler) return send(404, { ok: false, error: { code: 'UNKNOWN_METHOD', message: `No method ${method}` } });
    try {
      const value = handler(input);
      const wait = core.delay(method, input);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      send(200, { ok: true, value });
    } catch (err) {
      const e = err as Error & { code?: string };
      send(e.code === 'NOT_FOUND' ? 404 : 500, { ok: false, error: { code: e.code ?? 'INTERNAL', message: e.message } });
    }
  }

  const server = http.createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    core.paths.push(path);
    if (path === '/api/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
      res.write(': connected\n\n');
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }
    if (path.startsWith('/api/') && req.method === 'POST') return api(req, res, path.slice('/api/'.length));
    if (path.startsWith('/assets/') && /^[0-9a-f]{64}$/.test(path.slice(8))) {
      const bytes = opts.assets.get(path.slice(8));
      if (!bytes) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'image/png' });
      return void res.end(bytes);
    }
    const file = normalize(path === '/' ? '/index.html' : path);
    try {
      const body = await readFile(join(opts.rendererDir, file));
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-security-policy': CSP });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain', 'content-security-policy': CSP });
      res.end('not found');
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  core.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return core;
}
