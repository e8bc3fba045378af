import { lstat, readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { knownContentType } from '../app/bridge/static-files.js';
import { APP_HOST, APP_SCHEME } from './schemes.js';
import { APP_CSP } from './security.js';

/**
 * The handler behind `folio-app://ui/<path>`: serves the built renderer (build/renderer) and
 * nothing else. Written against the web-standard Request/Response that protocol.handle uses,
 * so it runs (and is tested) in plain Node as well.
 *
 * Only GET/HEAD, only host `ui`, only regular files inside the renderer folder with a known
 * extension; `..` segments (plain or percent-encoded), backslashes, NUL and symlinks are
 * refused. Every response carries the CSP, so the policy holds even if the HTML lacked a
 * <meta> for it.
 */
export type ProtocolHandler = (request: Request) => Promise<Response>;

export const APP_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': APP_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
  // The renderer is rebuilt in place during development; never serve a stale bundle.
  'Cache-Control': 'no-cache',
};

export function createAppProtocolHandler(rendererDir: string): ProtocolHandler {
  const root = resolve(rendererDir);
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Method not allowed');
    const file = fileFor(root, request.url);
    if (!file) return plain(404, 'Not found');
    const type = knownContentType(file);
    if (!type) return plain(404, 'Not found');
    let data: Buffer;
    try {
      // lstat, not stat: a symlink could point outside the renderer folder.
      if (!(await lstat(file)).isFile()) return plain(404, 'Not found');
      data = await readFile(file);
    } catch {
      if (file === join(root, 'index.html')) {
        return plain(
          404,
          `Folio's user interface is not built (${file} is missing). Run \`npm run build\` in the Folio folder, then start Folio again.`,
        );
      }
      return plain(404, 'Not found');
    }
    const headers = { ...APP_RESPONSE_HEADERS, 'Content-Type': type, 'Content-Length': String(data.byteLength) };
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(data), { status: 200, headers });
  };
}

/** The file a URL names inside root, or null when the URL is not one this handler serves. */
export function fileFor(root: string, rawUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host.toLowerCase() !== APP_HOST || url.username || url.password) return null;
  // Reject encoded separators and dots before decoding, so `%2f..` can never become a segment.
  if (/%(2f|5c|00|2e)/i.test(url.pathname)) return null;
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (path.includes('\\') || path.includes('\0')) return null;
  const segments = path.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '.' || s === '..')) return null;
  if (segments.length === 0) segments.push('index.html');
  const file = resolve(root, ...segments);
  const rel = relative(root, file);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return null;
  return file;
}

function plain(status: number, text: string): Response {
  return new Response(text, {
    status,
    headers: { ...APP_RESPONSE_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' },
  });
}
