/**
 * The knobs of one capture, and their parsing from command-line flags (shared by
 * `folio extract` and `folio add`, so both accept exactly the same values and messages).
 */
import { FolioError } from '../core/errors.js';
import type { Extraction, RenderMode } from '../core/types.js';
import type { FetchOptions } from './fetch-options.js';
import type { ImageOptions } from './images.js';

export interface CaptureOptions {
  /** auto (default): render in Chromium only when the static page looks empty or script-built. */
  render?: RenderMode;
  /** Page fetch limits (defaults < FOLIO_* environment < these). */
  fetch?: Partial<FetchOptions>;
  /** Image download limits; `referer`, `signal` and the guard context are filled in by the pipeline. */
  images?: Partial<ImageOptions>;
  /** Browser for rendering; FOLIO_CHROMIUM wins over it. */
  chromiumPath?: string;
  /** Whole budget of a browser render (navigation + load + network idle). Default 30 s. */
  renderTimeoutMs?: number;
  signal?: AbortSignal;
  /**
   * Extraction to use, e.g. the extraction pool's `extract` (app/capture/extract-pool.ts) so jsdom
   * work leaves the calling thread. Default: `extractArticle` in this thread.
   */
  extract?: (html: string, pageUrl: string) => Extraction | Promise<Extraction>;
  /**
   * Compress the original HTML for the archive while the page is cleaned (Capture.originalCompressed),
   * on libuv's thread pool. For callers that store the capture (the queue); default false.
   */
  compressOriginal?: boolean;
}

export const RENDER_MODES: readonly RenderMode[] = ['auto', 'never', 'always'];

export function parseRenderMode(value: string): RenderMode {
  const mode = value.trim().toLowerCase();
  if ((RENDER_MODES as readonly string[]).includes(mode)) return mode as RenderMode;
  throw new FolioError('INVALID_INPUT', `render mode "${value}" is not one of ${RENDER_MODES.join(', ')}`);
}

/** A whole number ≥ 1 given on the command line (`--timeout 5000`); `what` names the flag. */
export function parsePositiveInteger(what: string, value: string): number {
  const text = value.trim();
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new FolioError('INVALID_INPUT', `${what} must be a whole number ≥ 1, got "${value}"`);
  }
  return n;
}

/** The flags both capture commands take, already parsed. */
export interface CaptureFlags {
  render?: RenderMode;
  /** --timeout: total time for the page download, and for a browser render. */
  timeout?: number;
  connectTimeout?: number;
  maxBytes?: number;
  allowPrivateAddresses?: boolean;
}

export function captureOptionsFromFlags(flags: CaptureFlags): CaptureOptions {
  const fetch: Partial<FetchOptions> = {};
  if (flags.timeout !== undefined) fetch.totalTimeoutMs = flags.timeout;
  if (flags.connectTimeout !== undefined) fetch.connectTimeoutMs = flags.connectTimeout;
  if (flags.maxBytes !== undefined) fetch.maxBytes = flags.maxBytes;
  if (flags.allowPrivateAddresses !== undefined) fetch.allowPrivateAddresses = flags.allowPrivateAddresses;
  const options: CaptureOptions = { render: flags.render ?? 'auto', fetch };
  if (flags.timeout !== undefined) options.renderTimeoutMs = flags.timeout;
  if (flags.allowPrivateAddresses !== undefined) options.images = { allowPrivateAddresses: flags.allowPrivateAddresses };
  return options;
}
