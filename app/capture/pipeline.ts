/**
 * The capture pipeline: one input (an http(s) URL or a saved page on disk) → a Capture (the
 * extraction with its images made offline) + the image bytes. Nothing is stored here; the
 * caller (the queue, `folio extract`) decides what to do with the result.
 *
 *   URL:  fetch → extract → [render in Chromium → extract, when needed] → images
 *   file: read + decode → inline folder images → extract → images
 */
import { existsSync } from 'node:fs';
import { compressTextAsync } from '../store/compress.js';
import { asFolioError, FolioError } from '../core/errors.js';
import {
  assetUrl,
  type Capture,
  type CapturedImage,
  type CompressedText,
  type Extraction,
  type ImageBlob,
  type RenderMode,
} from '../core/types.js';
import type { CaptureOptions } from './capture-options.js';
import { findChromium, noBrowserMessage } from './chromium.js';
import { extractArticle } from './extract.js';
import { fetchPage } from './fetch.js';
import { resolveFetchOptions } from './fetch-options.js';
import { localizeImages, type LocalizedImages } from './images.js';
import { prepareLocalPage, readLocalPage } from './local-file.js';

export type { CaptureOptions } from './capture-options.js';

export interface CaptureResult {
  capture: Capture;
  blobs: ImageBlob[];
}

/** input: an http(s) URL or a local file path (or file: URL). */
export async function captureInput(input: string, options: CaptureOptions = {}): Promise<CaptureResult> {
  const fetchedAt = new Date().toISOString();
  if (options.signal?.aborted) throw new FolioError('CANCELLED', `${input}: capture was cancelled`);
  return isLocalFileInput(input) ? captureLocalFile(input, options, fetchedAt) : captureUrl(input, options, fetchedAt);
}

/**
 * Whether `input` names a file rather than a web address: a file: URL, an absolute or
 * ./relative path, a Windows drive path, an existing file, or a bare `name.html`.
 * Anything with another scheme is a URL (and the fetcher explains unsupported schemes).
 */
export function isLocalFileInput(input: string): boolean {
  const text = input.trim();
  // A file: URL is refused like any non-web scheme (fetch says why): local files are read only
  // when given as a path, so a URL list from elsewhere can never pull local files in.
  if (/^file:/i.test(text)) return false;
  if (/^[a-zA-Z]:[\\/]/.test(text) || text.startsWith('\\\\')) return true;
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(text)) return false;
  if (/^(\.{1,2}[\\/]|[\\/]|~[\\/])/.test(text)) return true;
  if (existsSync(text)) return true;
  // "page.html" with no folder: a file in the current directory, not a host name.
  return /^[^/\\]+\.(x?html?|mht(ml)?)$/i.test(text);
}

async function captureUrl(input: string, options: CaptureOptions, fetchedAt: string): Promise<CaptureResult> {
  const extract = extractorOf(options);
  const fetchOptions = resolveFetchOptions({ ...options.fetch, signal: options.signal ?? options.fetch?.signal });
  const page = await fetchPage(input, fetchOptions);
  let original = compressInBackground(page.html, options);
  const mode: RenderMode = options.render ?? 'auto';
  const warnings: string[] = [];

  let extraction: Extraction | null = null;
  let staticError: FolioError | null = null;
  if (mode !== 'always') {
    try {
      extraction = await extract(page.html, page.finalUrl);
    } catch (err) {
      staticError = asFolioError(err, 'EXTRACT_FAILED');
      if (mode === 'never') throw staticError;
    }
  }

  let sourceHtml = page.html;
  let pageUrl = page.finalUrl;
  let rendered = false;
  const reason = mode === 'always' ? 'rendering was requested' : mode === 'auto' ? whyRender(page.html, extraction, staticError) : null;
  if (reason) {
    const attempt = await tryRender(page.finalUrl, options, fetchOptions.allowPrivateAddresses, extract);
    if ('error' in attempt) {
      if (mode === 'always') throw attempt.error;
      if (!extraction) {
        const e = staticError!;
        throw new FolioError(e.code, `${e.message} (rendering it in a browser did not help: ${attempt.error.message})`, {
          transient: e.transient || attempt.error.transient,
          cause: e,
        });
      }
      warnings.push(`${reason}, but ${attempt.error.message.replace(`${page.finalUrl}: `, '')}; kept the page as downloaded`);
    } else if (mode === 'always' || !extraction || attempt.extraction.text.length > extraction.text.length) {
      extraction = attempt.extraction;
      sourceHtml = attempt.html;
      original = compressInBackground(sourceHtml, options);
      pageUrl = attempt.finalUrl;
      rendered = true;
      warnings.push(...attempt.warnings);
    } else {
      warnings.push(`${reason}, but the browser-rendered page had no more text; kept the page as downloaded`);
    }
  }
  if (!extraction) throw staticError ?? new FolioError('EXTRACT_FAILED', `${input}: no article could be extracted`);

  const localized = await localizeImages(extraction.html, pageUrl, {
    allowPrivateAddresses: fetchOptions.allowPrivateAddresses,
    ...options.images,
    referer: pageUrl,
    initiator: pageUrl,
    signal: options.signal,
    leadImageUrl: extraction.leadImage,
  });
  return assemble({
    input,
    url: page.url,
    finalUrl: pageUrl,
    extraction,
    localized,
    extraImages: [],
    rendered,
    originalHtml: sourceHtml,
    originalCompressed: await original,
    fetchedAt,
    warnings,
  });
}

async function captureLocalFile(input: string, options: CaptureOptions, fetchedAt: string): Promise<CaptureResult> {
  const extract = extractorOf(options);
  const page = await readLocalPage(input, { maxBytes: options.fetch?.maxBytes });
  const original = compressInBackground(page.html, options);
  const prepared = await prepareLocalPage(page, { perImageMaxBytes: options.images?.perImageMaxBytes });
  const warnings: string[] = [];
  if (options.render === 'always') {
    // A saved page's scripts would run with access to file: URLs; the saved DOM is what we want anyway.
    warnings.push('rendering is not used for local files; the saved HTML was extracted as it is');
  }
  const extraction = await extract(prepared.html, prepared.baseUrl);
  const webBase = /^https?:/i.test(prepared.baseUrl) ? prepared.baseUrl : '';
  const localized = await localizeImages(extraction.html, prepared.baseUrl, {
    allowPrivateAddresses: options.fetch?.allowPrivateAddresses ?? false,
    ...options.images,
    referer: webBase,
    // The page is on this machine: the guard treats its images like addresses the user chose.
    initiator: page.fileUrl,
    signal: options.signal,
    leadImageUrl: extraction.leadImage,
    sourceLabels: prepared.labels,
    knownFailures: new Map(prepared.failures.map((f) => [f.url, 'error' in f ? f.error : ''])),
  });
  return assemble({
    input,
    url: page.fileUrl,
    // The page's web address when the saved page names one, so links, site and dedup work.
    finalUrl: prepared.baseUrl,
    extraction,
    localized,
    extraImages: prepared.failures,
    rendered: false,
    originalHtml: page.html,
    originalCompressed: await original,
    fetchedAt,
    warnings,
  });
}

/**
 * Starts compressing the original for the archive on libuv's thread pool when the caller will
 * store it (compressOriginal), to run while the page is cleaned and its images download.
 * Resolves to undefined when not asked for, or should compression fail (the store then
 * compresses itself); never rejects, so a capture that fails first leaves nothing unhandled.
 */
function compressInBackground(html: string, options: CaptureOptions): Promise<CompressedText | undefined> {
  if (!options.compressOriginal || !html) return Promise.resolve(undefined);
  return compressTextAsync(html).catch(() => undefined);
}

function extractorOf(options: CaptureOptions): (html: string, url: string) => Promise<Extraction> {
  const extract = options.extract ?? extractArticle;
  return async (html, url) => extract(html, url);
}

/**
 * Why the static result should be rendered in a browser, or null when it is good as is:
 * extraction failed, found only a thin <body>, or the page is a script-built "app shell".
 */
export function whyRender(html: string, extraction: Extraction | null, error: FolioError | null): string | null {
  if (!extraction) return `the page could not be extracted as downloaded (${error?.message ?? 'no article'})`;
  const textLength = extraction.text.trim().length;
  if (textLength < 200) return 'the page as downloaded has almost no text';
  if (extraction.extractor === 'body' && textLength < 1500) return 'the page as downloaded has no recognisable article';
  if (textLength < 2000 && looksLikeAppShell(html)) return 'the page looks like a JavaScript app shell';
  return null;
}

/** Element ids used as mount points by React, Vue, Next, Nuxt, Gatsby, Angular, Svelte… */
const MOUNT_POINT = /<(div|main|section|app-root)\b[^>]*\bid\s*=\s*["']?(root|app|__next|__nuxt|___gatsby|react-root|application|main-app|svelte|q-app)\b["']?[^>]*>\s*<\/\1>/i;

/** A page that ships an empty mount point, or next to no visible text, plus scripts. */
export function looksLikeAppShell(html: string): boolean {
  if (!/<script\b/i.test(html)) return false;
  if (MOUNT_POINT.test(html) || /<app-root\b[^>]*>\s*<\/app-root>/i.test(html)) return true;
  const body = /<body\b[^>]*>([\s\S]*)/i.exec(html)?.[1] ?? html;
  const visible = body
    .replace(/<(script|style|noscript|template)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return visible.length < 200;
}

type RenderAttempt =
  | { html: string; finalUrl: string; extraction: Extraction; warnings: string[] }
  | { error: FolioError };

async function tryRender(
  url: string,
  options: CaptureOptions,
  allowPrivateAddresses: boolean,
  extract: (html: string, url: string) => Promise<Extraction>,
): Promise<RenderAttempt> {
  try {
    if (!findChromium({ explicitPath: options.chromiumPath })) {
      return {
        error: new FolioError('RENDER_FAILED', `${url}: ${noBrowserMessage()}`),
      };
    }
    // Loaded on first use: playwright-core takes ~1 s to load, which would stall the event loop
    // of every capture run that never renders.
    const { renderPage } = await loadRenderer();
    const page = await renderPage(url, {
      chromiumPath: options.chromiumPath,
      timeoutMs: options.renderTimeoutMs,
      allowPrivateAddresses,
      signal: options.signal,
    });
    // A script may have navigated to an error or about: page; links and images still belong to the web URL.
    const finalUrl = /^https?:/i.test(page.finalUrl) ? page.finalUrl : url;
    const extraction = await extract(page.html, finalUrl);
    const warnings = page.blocked.length
      ? [`the browser blocked ${page.blocked.length} request(s) of the page to private or non-web addresses`]
      : [];
    return { html: page.html, finalUrl, extraction, warnings };
  } catch (err) {
    const error = asFolioError(err, 'RENDER_FAILED');
    if (error.code === 'CANCELLED') throw error;
    return { error };
  }
}

interface Parts {
  input: string;
  url: string;
  finalUrl: string;
  extraction: Extraction;
  localized: LocalizedImages;
  /** Image records that never reached the HTML (e.g. local images outside the folder). */
  extraImages: CapturedImage[];
  rendered: boolean;
  originalHtml: string;
  originalCompressed: CompressedText | undefined;
  fetchedAt: string;
  warnings: string[];
}

function assemble(p: Parts): CaptureResult {
  const images = [...p.localized.images];
  const seen = new Set(images.map((i) => i.url));
  for (const extra of p.extraImages) if (!seen.has(extra.url)) images.push(extra);
  const failed = images.filter((i) => 'error' in i).length;
  const warnings = [...p.extraction.warnings, ...p.warnings];
  if (failed > 0) warnings.push(`${failed} of ${images.length} image(s) could not be saved (see images for reasons)`);
  const capture: Capture = {
    ...p.extraction,
    html: p.localized.html,
    leadImage: p.localized.leadImage ? assetUrl(p.localized.leadImage.sha256) : null,
    warnings,
    input: p.input,
    url: p.url,
    finalUrl: p.finalUrl,
    images,
    rendered: p.rendered,
    originalHtml: p.originalHtml,
    ...(p.originalCompressed ? { originalCompressed: p.originalCompressed } : {}),
    fetchedAt: p.fetchedAt,
  };
  return { capture, blobs: p.localized.blobs };
}

let renderer: Promise<typeof import('./render.js')> | null = null;
function loadRenderer(): Promise<typeof import('./render.js')> {
  return (renderer ??= import('./render.js'));
}

/** Callers that render (the CLI, the app) shut the shared browser down with this. */
export async function closeRenderer(): Promise<void> {
  if (renderer) await (await renderer).closeRenderer();
}
