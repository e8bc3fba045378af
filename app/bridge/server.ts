/**
 * The loopback bridge: Folio's UI in an ordinary browser, served by `folio serve`.
 *
 * WIRE PROTOCOL (the renderer's browser transport codes against exactly this)
 *
 *   Every request: Host must be `127.0.0.1:<port>` or `localhost:<port>`, and an Origin header,
 *   if sent, must be `http://127.0.0.1:<port>` or `http://localhost:<port>`; otherwise 403.
 *   State-changing requests (POST) sent with `Sec-Fetch-Site: cross-site` or `same-site` → 403.
 *
 *   Auth: the token, as `Authorization: Bearer <token>` or as the cookie `folio_token`
 *   (HttpOnly, SameSite=Strict, Path=/, set by the handshake below). Without it → 401.
 *
 *   GET /?token=<token>               the handshake (the URL `folio serve` prints). Right token:
 *                                     sets the cookie and answers 303 → `/`, so the token leaves
 *                                     the address bar. Wrong token → 401 page.
 *   GET /?token=<token>&add=<url>     the bookmarklet's handshake: sets the cookie and answers 200
 *                                     with a script-free page that refreshes to `/#add=<url>` (so
 *                                     does any handshake with Sec-Fetch-Site cross-site/same-site).
 *                                     Not a redirect, because browsers withhold SameSite=Strict
 *                                     cookies after a redirect another site started; a refresh
 *                                     started by our own page is same-site, so the cookie goes.
 *   GET /                             the UI (rendererDir/index.html) with the strict CSP;
 *                                     401 page without auth; 503 page if the UI is not built.
 *   GET /<file>, /assets/<file>       the renderer's built files, from rendererDir only.
 *   GET /assets/<sha256>              a stored image (exactly 64 lowercase hex): its bytes with
 *                                     its stored image/* type, nosniff, `Cache-Control: private,
 *                                     max-age=31536000, immutable`, CSP `default-src 'none'`.
 *                                     Unknown or non-image → 404.
 *   GET /bookmarklet                  a page with the draggable "Save to Folio" link.
 *   POST /api/<method>                body: the method's input as JSON (`Content-Type:
 *                                     application/json`, charset utf-8 if given, at most
 *                                     maxBodyBytes; an empty body means `{}`). Answer: JSON
 *                                     `{ok:true,value}` (200) or `{ok:false,error:{code,message}}`
 *                                     with the status from http-status.ts: 400 VALIDATION /
 *                                     BAD_FORMAT / INVALID_INPUT…, 401 UNAUTHORIZED, 403 FORBIDDEN,
 *                                     404 UNKNOWN_METHOD / NOT_FOUND, 405 (other HTTP methods),
 *                                     413 TOO_LARGE, 415 UNSUPPORTED_TYPE (not JSON), 500 INTERNAL.
 *   POST /api/import.upload?name=<file name>&fetch=0|1[&importId=<id>]
 *                                     with `Content-Type: application/octet-stream`: the file's
 *                                     bytes (at most maxUploadBytes, default 256 MB), streamed
 *                                     to a file beside the archive, then imported in the
 *                                     background. Answer at once: `{ok:true,value:{importId}}`;
 *                                     progress as `import.progress` events. (With a JSON body the
 *                                     route is the contract's base64 form, under maxBodyBytes.)
 *   GET /exports/<downloadId>         a finished `export.run`: the file as an attachment
 *                                     (Content-Disposition, nosniff, inert CSP), deleted once
 *                                     sent; unknown or expired → 404.
 *   GET /api/events                   Server-Sent Events: `event: <name>\ndata: <json>\n\n` for
 *                                     every FolioEvents event, `: heartbeat` comments every 15 s.
 *   Other HTTP methods: 405 with an Allow header.
 *
 * The server binds 127.0.0.1 only. Error bodies never echo request data except inside JSON
 * strings (escaped, served as application/json with nosniff).
 */
import { rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dispatch } from '../api/dispatch.js';
import type { EventBus } from '../api/events.js';
import { ioJobsOf } from '../api/handlers.js';
import type { IoJobs } from '../api/io-jobs.js';
import type { ContractErrorCode, Envelope, FolioHandlers } from '../core/contract.js';
import { FolioError } from '../core/errors.js';
import { isAuthorized, sessionCookie, tokensEqual } from './auth.js';
import { APP_CSP, BASE_HEADERS, INERT_CSP, PAGE_CSP, htmlHeaders } from './csp.js';
import { STATUS_FOR_CODE } from './http-status.js';
import { isJsonContentType, readJsonBody } from './json-body.js';
import { bookmarkletPage, continuePage, missingBuildPage, unauthorizedPage } from './pages.js';
import { refuseForeignRequest } from './request-guard.js';
import { openEventStream } from './sse.js';
import { readStaticFile } from './static-files.js';
import { generateToken } from './token.js';
import { serveDownload } from './download.js';
import { DEFAULT_MAX_UPLOAD_BYTES, isOctetStream, readUploadToFile } from './upload-body.js';

export interface BridgeOptions {
  handlers: FolioHandlers;
  events: EventBus;
  getImage(sha256: string): { type: string; data: Uint8Array } | null;
  /** Default 4747; 0 picks a free port. */
  port?: number;
  /** Default: 32 random bytes, base64url. Pass a persisted one (token.ts) to keep bookmarklets working. */
  token?: string;
  /** Default: build/renderer of the Folio checkout this file belongs to. */
  rendererDir?: string;
  /** Default 1 MB. */
  maxBodyBytes?: number;
  /** The streamed import upload's cap; default 256 MB. */
  maxUploadBytes?: number;
  /** Export downloads and import uploads; default: the ones createHandlers made with `handlers`. */
  io?: IoJobs;
  /** Server-sent events heartbeat interval; default 15 s. */
  heartbeatMs?: number;
}

export interface RunningBridge {
  /** http://127.0.0.1:PORT/ */
  url: string;
  /** url + '?token=…': the address to open (sets the cookie, then redirects to `/`). */
  launchUrl: string;
  port: number;
  token: string;
  /** Where the server is listening (always 127.0.0.1). */
  address: AddressInfo;
  close(): Promise<void>;
}

export const DEFAULT_BRIDGE_PORT = 4747;
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
const LOOPBACK = '127.0.0.1';
const ASSET_PATH = /^\/assets\/([0-9a-f]{64})$/;
const EXPORT_PATH = /^\/exports\/([A-Za-z0-9_-]{32})$/;
const IMAGE_TYPE = /^image\/[a-z0-9][a-z0-9.+-]*$/i;
/** Tokens go into a cookie and a URL as they are, so only URL- and cookie-safe characters. */
const USABLE_TOKEN = /^[A-Za-z0-9._~-]{16,1024}$/;

/** build/renderer of this checkout, whether this file runs from app/ (tests) or build/app/. */
export function defaultRendererDir(): string {
  const twoUp = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const root = basename(twoUp) === 'build' ? dirname(twoUp) : twoUp;
  return join(root, 'build', 'renderer');
}

export async function startBridge(options: BridgeOptions): Promise<RunningBridge> {
  const token = options.token ?? generateToken();
  if (!USABLE_TOKEN.test(token)) {
    throw new FolioError('INVALID_INPUT', 'The bridge token must be 16 or more URL-safe characters (letters, digits, . _ ~ -); delete the bridge-token file to get a new one.');
  }
  const rendererDir = options.rendererDir ?? defaultRendererDir();
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const maxUploadBytes = options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  const io = options.io ?? ioJobsOf(options.handlers);
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const streams = new Set<() => void>();
  let port = 0; // known once listening; every request arrives after that

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const rawUrl = req.url ?? '';
    // Only origin-form targets ("/path?query"); absolute-form ("http://host/…") is for proxies.
    if (!rawUrl.startsWith('/')) return sendText(res, 400, 'Bad request.');
    const q = rawUrl.indexOf('?');
    const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const query = new URLSearchParams(q < 0 ? '' : rawUrl.slice(q + 1));
    const isApi = path === '/api' || path.startsWith('/api/');

    const refusal = refuseForeignRequest(method, req.headers, port);
    if (refusal) return isApi ? sendError(res, 403, 'FORBIDDEN', refusal) : sendText(res, 403, refusal);

    if (isApi) return handleApi(req, res, method, path);
    if (method !== 'GET' && method !== 'HEAD') {
      return sendText(res, 405, 'Only GET and HEAD are allowed here.', { allow: 'GET, HEAD' });
    }
    if (path === '/') return handleRoot(req, res, query);
    if (!isAuthorized(req.headers, token)) return sendHtml(res, 401, unauthorizedPage(), PAGE_CSP);
    if (path === '/bookmarklet') return sendHtml(res, 200, bookmarkletPage(port, token), PAGE_CSP);
    const asset = ASSET_PATH.exec(path);
    if (asset) return serveImage(res, asset[1]!);
    const exported = EXPORT_PATH.exec(path);
    if (exported && io) return serveDownload(res, io, exported[1]!, method === 'HEAD');
    return serveStatic(res, path);
  }

  async function handleApi(req: http.IncomingMessage, res: http.ServerResponse, method: string, path: string): Promise<void> {
    if (path === '/api/events') {
      if (method !== 'GET') return sendError(res, 405, 'INVALID_INPUT', 'The event stream is read with GET.', { allow: 'GET' });
      if (!isAuthorized(req.headers, token)) return sendError(res, 401, 'UNAUTHORIZED', UNAUTHORIZED_MESSAGE);
      const close = openEventStream(res, options.events, { heartbeatMs });
      streams.add(close);
      res.on('close', () => streams.delete(close));
      return;
    }
    if (method !== 'POST') {
      return sendError(res, 405, 'INVALID_INPUT', 'API methods are called with POST and a JSON body.', { allow: 'POST' });
    }
    if (!isAuthorized(req.headers, token)) return sendError(res, 401, 'UNAUTHORIZED', UNAUTHORIZED_MESSAGE);
    if (path === '/api/import.upload' && io && isOctetStream(req.headers['content-type'])) return handleUpload(req, res, io);
    if (!isJsonContentType(req.headers['content-type'])) {
      return sendError(res, 415, 'UNSUPPORTED_TYPE', 'API requests must have Content-Type: application/json (UTF-8).');
    }
    const body = await readJsonBody(req, maxBodyBytes);
    if (!body.ok) {
      if (!body.refusal) return; // the client went away
      return sendError(res, body.refusal.status, body.refusal.code, body.refusal.message);
    }
    const envelope = await dispatch(options.handlers, path.slice('/api/'.length), body.value);
    sendJson(res, envelope.ok ? 200 : (STATUS_FOR_CODE[envelope.error.code] ?? 500), envelope);
  }

  /** The streamed import: bytes to a file, then the import runs on while we answer. */
  async function handleUpload(req: http.IncomingMessage, res: http.ServerResponse, io: IoJobs): Promise<void> {
    const query = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams;
    const name = (query.get('name') ?? '').trim();
    const importId = query.get('importId');
    if (name === '' || name.length > 255) {
      req.resume();
      return sendError(res, 400, 'VALIDATION', 'Invalid input for import.upload: name: give the file name (1 to 255 characters) as ?name=…');
    }
    if (importId !== null && !/^[A-Za-z0-9_-]{8,64}$/.test(importId)) {
      req.resume();
      return sendError(res, 400, 'VALIDATION', 'Invalid input for import.upload: importId: use 8 to 64 letters, digits, - or _');
    }
    const file = io.uploadPath(name);
    const upload = await readUploadToFile(req, file, maxUploadBytes);
    if (!upload.ok) {
      if (!upload.refusal) return;
      res.setHeader('connection', 'close');
      return sendError(res, upload.refusal.status, upload.refusal.code, upload.refusal.message);
    }
    if (upload.bytes === 0) {
      rmSync(file, { force: true });
      return sendError(res, 400, 'BAD_FORMAT', `"${name}" is empty (0 bytes); choose the exported file itself.`);
    }
    const started = io.startImport(file, { name, fetch: query.get('fetch') === '1', ...(importId ? { importId } : {}) });
    sendJson(res, 200, { ok: true, value: started });
  }

  async function handleRoot(req: http.IncomingMessage, res: http.ServerResponse, query: URLSearchParams): Promise<void> {
    const given = query.get('token');
    if (given !== null) {
      if (!tokensEqual(given, token)) return sendHtml(res, 401, unauthorizedPage(), PAGE_CSP);
      const add = query.get('add');
      const target = add ? `/#add=${encodeURIComponent(clip(add, 8192))}` : '/';
      const headers = { 'set-cookie': sessionCookie(token), 'cache-control': 'no-store' };
      const site = req.headers['sec-fetch-site'];
      // The bookmarklet (add=…) always runs from another site; browsers that do not send
      // Sec-Fetch-Site are recognised by that alone.
      if (add || site === 'cross-site' || site === 'same-site') {
        return sendHtml(res, 200, continuePage(target), PAGE_CSP, headers);
      }
      res.writeHead(303, { ...BASE_HEADERS, ...headers, location: target, 'content-length': '0' });
      res.end();
      return;
    }
    if (!isAuthorized(req.headers, token)) return sendHtml(res, 401, unauthorizedPage(), PAGE_CSP);
    const index = await readStaticFile(rendererDir, '/');
    if (!index) return sendHtml(res, 503, missingBuildPage(rendererDir), PAGE_CSP);
    res.writeHead(200, { ...htmlHeaders(APP_CSP), 'cache-control': 'no-cache', 'content-length': String(index.data.length) });
    res.end(index.data);
  }

  function serveImage(res: http.ServerResponse, sha256: string): void {
    const image = options.getImage(sha256);
    // Only images: whatever else might sit in the store is never served as a page.
    if (!image || !IMAGE_TYPE.test(image.type)) return sendText(res, 404, 'Not found.');
    res.writeHead(200, {
      ...BASE_HEADERS,
      'content-type': image.type,
      'content-length': String(image.data.byteLength),
      'cache-control': 'private, max-age=31536000, immutable',
      'content-security-policy': INERT_CSP,
    });
    res.end(image.data);
  }

  async function serveStatic(res: http.ServerResponse, path: string): Promise<void> {
    const file = await readStaticFile(rendererDir, path);
    if (!file) {
      // Browsers ask for a favicon on their own; "none" is not an error worth a console line.
      if (path === '/favicon.ico') {
        res.writeHead(204, { ...BASE_HEADERS, 'cache-control': 'private, max-age=86400' });
        res.end();
        return;
      }
      return sendText(res, 404, 'Not found.');
    }
    const isHtml = file.type.startsWith('text/html');
    res.writeHead(200, {
      ...(isHtml ? htmlHeaders(APP_CSP) : { ...BASE_HEADERS, 'content-type': file.type }),
      'cache-control': 'no-cache',
      'content-length': String(file.data.length),
    });
    res.end(file.data);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      console.error('folio: the bridge failed to answer a request:', err);
      if (!res.headersSent) sendError(res, 500, 'INTERNAL', 'Folio hit an internal error; the details were written to its log (stderr).');
      else res.destroy();
    });
  });
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;

  await listen(server, options.port ?? DEFAULT_BRIDGE_PORT);
  const address = server.address() as AddressInfo;
  port = address.port;
  const url = `http://${LOOPBACK}:${port}/`;

  return {
    url,
    launchUrl: `${url}?token=${encodeURIComponent(token)}`,
    port,
    token,
    address,
    close: () =>
      new Promise<void>((done) => {
        for (const close of [...streams]) close();
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}

/** At most `max` UTF-16 units, never ending in half a surrogate pair (encodeURIComponent throws on those). */
function clip(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max).replace(/[\uD800-\uDBFF]$/, '');
}

const UNAUTHORIZED_MESSAGE =
  'Folio needs its access key: open the address printed by `folio serve` (it ends with ?token=…), or send Authorization: Bearer <token>.';

function listen(server: http.Server, port: number): Promise<void> {
  return new Promise((done, fail) => {
    const onError = (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') {
        fail(new FolioError('INVALID_INPUT', `Port ${port} on ${LOOPBACK} is already in use (is another \`folio serve\` running?); stop it, or pass --port with another number (--port 0 picks a free one).`, { cause: err }));
      } else if (err.code === 'EACCES') {
        fail(new FolioError('INVALID_INPUT', `Not allowed to listen on port ${port} of ${LOOPBACK} (ports below 1024 need privileges); pass --port with a number from 1024 to 65535.`, { cause: err }));
      } else {
        fail(new FolioError('NETWORK', `Cannot listen on ${LOOPBACK}:${port}: ${err.message}.`, { cause: err }));
      }
    };
    server.once('error', onError);
    // 127.0.0.1 only: never reachable from another machine, whatever the firewall says.
    server.listen({ port, host: LOOPBACK, exclusive: true }, () => {
      server.off('error', onError);
      done();
    });
  });
}

/** JSON whose text cannot be mistaken for markup even if something sniffs it. */
function safeJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function sendJson(res: http.ServerResponse, status: number, envelope: Envelope<unknown>): void {
  let body: string;
  try {
    body = safeJson(envelope);
  } catch (err) {
    // A handler returned something JSON cannot carry (a cycle, a BigInt): a bug on our side.
    console.error('folio: a method result could not be sent as JSON:', err);
    status = 500;
    body = safeJson({ ok: false, error: { code: 'INTERNAL', message: 'Folio hit an internal error; the details were written to its log (stderr).' } });
  }
  res.writeHead(status, {
    ...BASE_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'content-security-policy': INERT_CSP,
    'cache-control': 'no-store',
    'content-length': String(Buffer.byteLength(body)),
  });
  res.end(body);
}

function sendError(res: http.ServerResponse, status: number, code: ContractErrorCode, message: string, extra: Record<string, string> = {}): void {
  for (const [name, value] of Object.entries(extra)) res.setHeader(name, value);
  sendJson(res, status, { ok: false, error: { code, message } });
}

function sendText(res: http.ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, {
    ...BASE_HEADERS,
    ...extra,
    'content-type': 'text/plain; charset=utf-8',
    'content-security-policy': INERT_CSP,
    'cache-control': 'no-store',
    'content-length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}

function sendHtml(res: http.ServerResponse, status: number, html: string, csp: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, {
    ...htmlHeaders(csp),
    'cache-control': 'no-store',
    ...extra,
    'content-length': String(Buffer.byteLength(html)),
  });
  res.end(html);
}
