/**
 * Saved pages on disk (`folio extract ./saved.html`): browser "Save page as…" output, SingleFile
 * pages (every image inlined as a data: URI), or any HTML file.
 *
 * Two safety rules shape this file:
 *  - Images referenced by the page are read from disk only when they sit inside the saved
 *    file's folder (after resolving `..` and symlinks): a page must not be able to pull
 *    `../../.ssh/id_rsa` or `/etc/passwd` into the archive.
 *  - Those images are inlined as data: URIs BEFORE extraction, so the extractor (which resolves
 *    relative URLs against the page's web address and drops file: URLs) and the image stage see
 *    one uniform kind of reference; `labels` maps each data: URI back to the file it came from.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseInertDocument, releaseDocument } from './dom-window.js';
import { FolioError } from '../core/errors.js';
import type { CapturedImage } from '../core/types.js';
import { decodeHtmlBytes } from './charset.js';
import { sniffImage } from './image-sniff.js';
import { isPlaceholderSrc } from './lazy-images.js';
import { bestImageUrl, parseSrcset } from './srcset.js';

/** Saved pages can be big (SingleFile inlines every image); this is the default cap. */
export const LOCAL_PAGE_MAX_BYTES = 200 * 1024 * 1024;

export interface LocalPage {
  /** Absolute path of the file. */
  path: string;
  fileUrl: string;
  /** The folder images may be read from. */
  folder: string;
  html: string;
  charset: string;
  bytes: number;
}

/** Reads and decodes a saved page. FILE_NOT_FOUND / FILE_UNREADABLE / TOO_LARGE name the path. */
export async function readLocalPage(path: string, options: { maxBytes?: number } = {}): Promise<LocalPage> {
  const absolute = resolve(path.startsWith('file:') ? fileURLToPath(path) : path);
  const maxBytes = options.maxBytes ?? LOCAL_PAGE_MAX_BYTES;
  let info;
  try {
    info = await stat(absolute);
  } catch (err) {
    throw fileError(path, absolute, err);
  }
  if (info.isDirectory()) {
    throw new FolioError('FILE_UNREADABLE', `${path} is a folder, not a saved page; give the path of an .html file`);
  }
  if (info.size > maxBytes) {
    throw new FolioError('TOO_LARGE', `${path} is ${formatBytes(info.size)}, over the ${formatBytes(maxBytes)} limit for a saved page`);
  }
  let bytes: Uint8Array;
  try {
    bytes = await readFile(absolute);
  } catch (err) {
    throw fileError(path, absolute, err);
  }
  const { html, charset } = decodeHtmlBytes(bytes, null);
  return { path: absolute, fileUrl: pathToFileURL(absolute).href, folder: dirname(absolute), html, charset, bytes: bytes.length };
}

function fileError(given: string, absolute: string, err: unknown): FolioError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new FolioError('FILE_NOT_FOUND', `${given}: no such file (looked for ${absolute}); check the path`, { cause: err });
  }
  return new FolioError('FILE_UNREADABLE', `${given}: cannot read the file (${code ?? String(err)}); check its permissions`, { cause: err });
}

export interface PreparedLocalPage {
  /** The page with folder images inlined as data: URIs (the original is LocalPage.html). */
  html: string;
  /** The page's web address (canonical, <base>, og:url, "saved from" notes), else the file URL. */
  baseUrl: string;
  /** data: URI → the file:// URL it was read from, so image records name the file. */
  labels: Map<string, string>;
  /** Local images that were not read (outside the folder, missing, too big). */
  failures: CapturedImage[];
}

/** `src` first: it is the one kept; the rest are lazy-loading attributes (see lazy-images.ts). */
const URL_ATTRIBUTES = ['src', 'data-src', 'data-lazy-src', 'data-original', 'data-original-src', 'data-url', 'data-hi-res-src'];
/** Lazy srcsets first: when present they hold the real candidates. */
const SRCSET_ATTRIBUTES = ['data-srcset', 'data-lazy-srcset', 'srcset'];

/**
 * Finds the page's web address and inlines the images that live in its folder. Parsed with a
 * DOMParser document: it has no window, so scripts never run and stylesheets are never parsed
 * (jsdom throws on some malformed CSS).
 */
export async function prepareLocalPage(
  page: Pick<LocalPage, 'html' | 'fileUrl' | 'folder'>,
  options: { perImageMaxBytes?: number } = {},
): Promise<PreparedLocalPage> {
  const maxBytes = options.perImageMaxBytes ?? 10 * 1024 * 1024;
  const doc = parseInertDocument(page.html);
  const baseUrl = findBaseUrl(doc, page.html) ?? page.fileUrl;
  const folder = await realpath(page.folder).catch(() => page.folder);
  const cache = new Map<string, Promise<LocalRead>>();
  const labels = new Map<string, string>();
  const failures = new Map<string, string>();

  const localise = async (value: string): Promise<string> => {
    const target = localTarget(value, page.fileUrl);
    if (!target) return value;
    let read = cache.get(target);
    if (!read) cache.set(target, (read = readInsideFolder(target, folder, maxBytes)));
    const result = await read;
    if ('error' in result) {
      failures.set(target, result.error);
      // Absolute, so the extractor cannot re-resolve it against the web address.
      return target;
    }
    labels.set(result.dataUri, target);
    return result.dataUri;
  };

  // The extractor keeps data: images only in `src` (data: srcset candidates look like lazy
  // placeholders), so a local image chosen from a srcset or <picture> lands in `src`.
  for (const picture of Array.from(doc.querySelectorAll('picture'))) {
    const sources = Array.from(picture.querySelectorAll('source[srcset]'));
    const source = sources.find((s) => !s.getAttribute('media')) ?? sources[0];
    const best = source ? bestImageUrl(source.getAttribute('srcset'), null) : null;
    if (!best || !localTarget(best, page.fileUrl)) continue;
    let img = picture.querySelector('img');
    if (!img) picture.append((img = doc.createElement('img')));
    img.setAttribute('src', await localise(best));
    img.removeAttribute('srcset');
    for (const s of sources) s.remove();
  }
  for (const img of Array.from(doc.querySelectorAll('img'))) {
    const srcset = SRCSET_ATTRIBUTES.map((n) => img.getAttribute(n)).find((v) => v && parseSrcset(v).length > 0);
    const src = [...URL_ATTRIBUTES.slice(1), 'src'].map((n) => img.getAttribute(n)?.trim()).find((v) => v && !isPlaceholderSrc(v));
    const chosen = bestImageUrl(srcset, src);
    if (chosen && localTarget(chosen, page.fileUrl)) {
      img.setAttribute('src', await localise(chosen));
      for (const name of [...SRCSET_ATTRIBUTES, ...URL_ATTRIBUTES.slice(1)]) img.removeAttribute(name);
      continue;
    }
    // The image shown is remote; local leftovers must still not resolve against the web base.
    for (const name of URL_ATTRIBUTES) {
      const value = img.getAttribute(name)?.trim();
      if (value && localTarget(value, page.fileUrl)) img.setAttribute(name, await localise(value));
    }
    for (const name of SRCSET_ATTRIBUTES) {
      const value = img.getAttribute(name);
      if (!value) continue;
      const remote = parseSrcset(value).filter((c) => !localTarget(c.url, page.fileUrl));
      if (remote.length === 0) img.removeAttribute(name);
      else img.setAttribute(name, remote.map((c) => c.url + (c.width !== undefined ? ` ${c.width}w` : c.density !== undefined ? ` ${c.density}x` : '')).join(', '));
    }
  }
  const doctype = doc.doctype ? `<!DOCTYPE ${doc.doctype.name}>\n` : '';
  const html = doctype + doc.documentElement.outerHTML;
  releaseDocument(doc); // (on a failure above the host window's periodic renewal lets it go)
  return {
    html,
    baseUrl,
    labels,
    failures: [...failures].map(([url, error]) => ({ url, error })),
  };
}

/**
 * The page's web address, in order: `link rel=canonical`, `<base href>`, `og:url`, then the
 * notes browsers and SingleFile leave in saved pages. Only absolute http(s) URLs count.
 */
export function findBaseUrl(doc: Document, rawHtml = ''): string | null {
  const webUrl = (value: string | null | undefined, base?: string): string | null => {
    if (!value) return null;
    try {
      const u = new URL(value.trim(), base);
      return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
    } catch {
      return null;
    }
  };
  const base = webUrl(doc.querySelector('base[href]')?.getAttribute('href'));
  const ogUrl = webUrl(doc.querySelector('meta[property="og:url" i][content]')?.getAttribute('content'));
  const canonicalHref = doc.querySelector('link[rel~="canonical" i][href]')?.getAttribute('href');
  const canonical = webUrl(canonicalHref, base ?? ogUrl ?? undefined);
  // SingleFile: "<!-- Page saved with SingleFile \n url: https://… \n saved date: … -->";
  // Chrome/IE "Mark of the Web": "<!-- saved from url=(0042)https://… -->".
  const head = rawHtml.slice(0, 4096);
  const singleFile = webUrl(/Page saved with SingleFile\s+url:\s*(\S+)/i.exec(head)?.[1]);
  const savedFrom = webUrl(/<!--\s*saved from url=\(\d+\)(\S+?)\s*-->/i.exec(head)?.[1]);
  return canonical ?? base ?? ogUrl ?? singleFile ?? savedFrom;
}

/** The file:// URL a reference points at, or null when it is not a local reference. */
function localTarget(value: string, fileUrl: string): string | null {
  if (/^file:/i.test(value)) return safeHref(value);
  // Any other scheme (http, data, blob…) or a network-path reference is not a local file.
  if (/^[a-z][a-z0-9+.-]*:/i.test(value) || value.startsWith('//')) return null;
  return safeHref(value, fileUrl);
}

function safeHref(value: string, base?: string): string | null {
  try {
    const u = new URL(value, base);
    if (u.protocol !== 'file:') return null;
    u.search = '';
    u.hash = '';
    return u.href;
  } catch {
    return null;
  }
}

type LocalRead = { dataUri: string } | { error: string };

/**
 * Reads a file only if its real path (symlinks resolved) is inside `folder`. The containment
 * check runs on real paths because a symlink inside the folder may point anywhere.
 */
export async function readInsideFolder(fileUrl: string, folder: string, maxBytes: number): Promise<LocalRead> {
  let path: string;
  try {
    path = fileURLToPath(fileUrl);
  } catch {
    return { error: 'not a readable local file URL' };
  }
  const outside = { error: "outside the saved page's folder; local images are only read from the page's own folder" };
  if (!isInside(folder, resolve(path))) return outside;
  let real: string;
  try {
    real = await realpath(path);
  } catch {
    return { error: 'file not found next to the saved page' };
  }
  if (!isInside(folder, real)) return outside;
  try {
    const info = await stat(real);
    if (!info.isFile()) return { error: 'not a file' };
    if (info.size > maxBytes) return { error: `larger than the ${formatBytes(maxBytes)} per-image limit (${formatBytes(info.size)})` };
    const data = await readFile(real);
    // Sniffed here too so the data: URI carries a true image type (the extractor keeps image
    // data: URIs only) and a non-image is reported with the file's name.
    const sniffed = await sniffImage(data);
    if (!sniffed.ok) return { error: sniffed.reason };
    return { dataUri: `data:${sniffed.type};base64,${data.toString('base64')}` };
  } catch (err) {
    return { error: `cannot read the file (${(err as NodeJS.ErrnoException).code ?? String(err)})` };
  }
}

function isInside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel !== '' && rel !== '..' && !rel.startsWith('..' + sep) && !isAbsolute(rel);
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${+(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KB`;
  return `${n} bytes`;
}
