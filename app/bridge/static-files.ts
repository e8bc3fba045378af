import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, sep } from 'node:path';

/**
 * Serves the built renderer (index.html, assets/*) from one folder, and nothing outside it.
 * The URL path is checked before it touches the file system: after percent-decoding it may
 * not contain `..`/`.` segments, dot-files, empty segments, backslashes, drive letters, NUL or
 * control characters; the joined path must stay inside the folder, and so must its real path
 * (no escaping through a symlink).
 */

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.webmanifest': 'application/manifest+json',
};

/** The content type of a renderer file by its extension; undefined for a kind we never serve. */
export function knownContentType(file: string): string | undefined {
  return CONTENT_TYPES[extname(file).toLowerCase()];
}

export function contentTypeFor(file: string): string {
  return knownContentType(file) ?? 'application/octet-stream';
}

/**
 * Maps a URL path (no query string) to a file path inside rootDir, or null if the path is not
 * acceptable. `/` maps to index.html. Pure: does not look at the disk.
 */
export function resolveStaticPath(rootDir: string, urlPath: string): string | null {
  if (!urlPath.startsWith('/')) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null; // malformed percent-encoding
  }
  // eslint-disable-next-line no-control-regex
  if (/[\\\u0000-\u001f\u007f]/.test(decoded)) return null;
  const rest = decoded.slice(1);
  const segments = rest === '' ? ['index.html'] : rest.split('/');
  for (const segment of segments) {
    if (segment === '' || segment.startsWith('.') || segment.includes(':')) return null;
  }
  const full = join(rootDir, ...segments);
  if (!isInside(rootDir, full)) return null;
  return full;
}

/** Reads a renderer file for a URL path; null when refused or absent (the caller answers 404). */
export async function readStaticFile(rootDir: string, urlPath: string): Promise<{ data: Buffer; type: string; file: string } | null> {
  const file = resolveStaticPath(rootDir, urlPath);
  if (!file) return null;
  try {
    const [realRoot, realFile] = await Promise.all([realpath(rootDir), realpath(file)]);
    if (!isInside(realRoot, realFile)) return null;
    if (!(await stat(realFile)).isFile()) return null;
    return { data: await readFile(realFile), type: contentTypeFor(realFile), file: realFile };
  } catch {
    return null; // missing, unreadable, or rootDir absent
  }
}

function isInside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}
