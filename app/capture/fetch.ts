import http from 'node:http';
import { FolioError } from '../core/errors.js';
import { isInitiatorPublic } from './address-context.js';
import { describeAddress, isPublicAddress } from './address-guard.js';
import { decodeHtmlBytes } from './charset.js';
import { readCappedBody } from './fetch-body.js';
import { HTML_TYPES, binaryTypeOf, looksLikeHtml, mimeTypeOf, notAPageMessage } from './fetch-content-type.js';
import { resolveFetchOptions, type FetchOptions, type ResolvedFetchOptions } from './fetch-options.js';
import { describeInput, parseHttpUrl } from './fetch-url.js';
import { ACCEPT_ENCODING, sendRequest, type HopResponse } from './http-client.js';

/**
 * Fetching a page (or an image) over HTTP(S): redirects followed by hand so every hop passes
 * the address guard, a connect timeout and a total timeout over headers and body, a size cap
 * enforced while streaming, decompression, and charset decoding. Bytes only: nothing on the
 * page is ever executed.
 */

export interface FetchedPage {
  url: string; // as requested (after scheme validation; credentials stripped)
  finalUrl: string; // after redirects (credentials stripped)
  redirects: string[]; // the URLs redirected to, in order (empty if none; the last is finalUrl)
  status: number;
  contentType: string; // MIME type only, lower-case, e.g. 'text/html'
  charset: string; // the encoding actually used to decode, WHATWG name
  html: string; // decoded
  bytes: number; // body bytes received (after content-encoding decompression)
  headers: Record<string, string>;
}

export interface FetchedBytes {
  url: string;
  finalUrl: string;
  status: number;
  contentType: string | null;
  data: Uint8Array;
}

/** A current desktop Chrome: some sites serve bots a different (or no) page. */
export const BROWSER_USER_AGENT =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36';
const ACCEPT_HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const ACCEPT_ANY = '*/*';
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export async function fetchPage(url: string, options: FetchOptions = {}): Promise<FetchedPage> {
  const opts = resolveFetchOptions(options);
  const requested = parseHttpUrl(url);
  return withDeadline(requested.href, opts, async (signal) => {
    const hop = await openFinalResponse(requested, { ...opts, accept: opts.accept ?? ACCEPT_HTML }, signal);
    const { res, describe } = hop;
    const contentTypeHeader = headerValue(res.headers['content-type']);
    let contentType = mimeTypeOf(contentTypeHeader);
    // Refuse a declared non-page before downloading it.
    if (contentType !== null && !HTML_TYPES.has(contentType)) {
      res.abort();
      throw new FolioError('UNSUPPORTED_TYPE', notAPageMessage(describe, contentType));
    }
    const body = await readCappedBody(res, opts.maxBytes, describe, signal);
    if (contentType === null) {
      if (!looksLikeHtml(body)) {
        throw new FolioError('UNSUPPORTED_TYPE', notAPageMessage(describe, 'a file without a content type that does not look like HTML'));
      }
      contentType = 'text/html';
    }
    const { html, charset } = decodeHtmlBytes(body, contentTypeHeader ?? null);
    const binary = await binaryTypeOf(body, html, charset);
    if (binary !== null) throw new FolioError('UNSUPPORTED_TYPE', notAPageMessage(describe, binary, contentType));
    return {
      url: hop.url,
      finalUrl: hop.finalUrl,
      redirects: hop.redirects,
      status: res.status,
      contentType,
      charset,
      html,
      bytes: body.byteLength,
      headers: flattenHeaders(res.headers),
    };
  });
}

/** For images and other binaries: same limits, redirects, guard; no content-type restriction. */
export async function fetchBytes(url: string, options: FetchOptions = {}): Promise<FetchedBytes> {
  const opts = resolveFetchOptions(options);
  const requested = parseHttpUrl(url);
  return withDeadline(requested.href, opts, async (signal) => {
    const hop = await openFinalResponse(requested, { ...opts, accept: opts.accept ?? ACCEPT_ANY }, signal);
    const data = await readCappedBody(hop.res, opts.maxBytes, hop.describe, signal);
    return {
      url: hop.url,
      finalUrl: hop.finalUrl,
      status: hop.res.status,
      contentType: mimeTypeOf(headerValue(hop.res.headers['content-type'])),
      data,
    };
  });
}

/**
 * Runs `work` under the total timeout (covering every hop, headers and body) and the caller's
 * signal: either aborts the shared signal with a FolioError, which is what `work` then throws.
 */
async function withDeadline<T>(
  input: string,
  opts: ResolvedFetchOptions,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => {
    controller.abort(
      new FolioError(
        'TIMEOUT',
        `${input}: no complete answer within ${formatMs(opts.totalTimeoutMs)}; the server is slow or not responding, ` +
          'try again later (or raise FOLIO_TIMEOUT_MS)',
        { transient: true },
      ),
    );
  }, opts.totalTimeoutMs);
  const onCancel = () => controller.abort(new FolioError('CANCELLED', `${input}: the download was cancelled`));
  if (opts.signal?.aborted) onCancel();
  opts.signal?.addEventListener('abort', onCancel, { once: true });
  try {
    return await work(controller.signal);
  } catch (err) {
    // Whatever surfaced (often a premature-close from the destroyed socket), the abort reason
    // is the real story once the deadline or the cancel fired.
    throw controller.signal.aborted ? controller.signal.reason : err;
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onCancel);
  }
}

interface FinalResponse {
  url: string;
  finalUrl: string;
  redirects: string[];
  res: HopResponse;
  describe: string;
}

/** Follows redirects hop by hop and returns the first 2xx response, body unread. */
async function openFinalResponse(
  requested: URL,
  opts: ResolvedFetchOptions & { accept: string },
  signal: AbortSignal,
): Promise<FinalResponse> {
  const headers: Record<string, string> = {
    'User-Agent': BROWSER_USER_AGENT,
    Accept: opts.accept,
    'Accept-Language': 'en-US,en;q=0.9',
    'Accept-Encoding': ACCEPT_ENCODING,
  };
  if (opts.referer) headers['Referer'] = opts.referer;

  let current = requested;
  const redirects: string[] = [];
  // The fragment never reaches the server, so it does not make a URL new for loop detection.
  const requestKey = (u: URL) => u.href.replace(/#.*$/, '');
  const seen = new Set([requestKey(requested)]);
  // The first hop is made on behalf of the user (no initiator) or of the referencing page.
  let fromPublic = await isInitiatorPublic(opts.initiator);
  let previous: { url: string; address: string } | null = null;

  for (;;) {
    const describe = describeInput(requested.href, current.href);
    const hopFrom = previous;
    const res = await sendRequest({
      url: current,
      headers,
      connectTimeoutMs: opts.connectTimeoutMs,
      signal,
      describe,
      guard: {
        fromPublic,
        allowPrivate: opts.allowPrivateAddresses,
        blocked: (addresses) => blockedError(requested.href, current.href, addresses, hopFrom, opts.initiator),
      },
    });

    const location = headerValue(res.headers['location']);
    if (REDIRECT_STATUSES.has(res.status) && location) {
      res.abort();
      const next = parseRedirectTarget(location, current, describe);
      if (seen.has(requestKey(next))) {
        throw new FolioError(
          'REDIRECT_LOOP',
          `${requested.href} redirects in a loop (${[requested.href, ...redirects, next.href].join(' → ')}); ` +
            'the site may need cookies or a login, try it in a browser',
        );
      }
      if (redirects.length >= opts.maxRedirects) {
        throw new FolioError(
          'TOO_MANY_REDIRECTS',
          `${requested.href} redirected more than ${opts.maxRedirects} times (last to ${current.href}); ` +
            'the site is misconfigured, try it in a browser',
        );
      }
      seen.add(requestKey(next));
      redirects.push(next.href);
      previous = { url: current.href, address: res.remoteAddress };
      fromPublic = isPublicAddress(res.remoteAddress);
      current = next;
      continue;
    }
    if (res.status < 200 || res.status > 299) {
      res.abort();
      throw httpStatusError(describe, res.status, res.statusText);
    }
    return { url: requested.href, finalUrl: current.href, redirects, res, describe };
  }
}

function parseRedirectTarget(location: string, current: URL, describe: string): URL {
  try {
    return parseHttpUrl(location, current.href);
  } catch (err) {
    if (!(err instanceof FolioError)) throw err;
    throw new FolioError(err.code, `${describe} redirected to an address Folio cannot follow: ${err.message}`, { cause: err });
  }
}

function blockedError(
  requested: string,
  target: string,
  addresses: string[],
  from: { url: string; address: string } | null,
  initiator: string | undefined,
): FolioError {
  const where = addresses.map(describeAddress).join(', ');
  const origin = from
    ? `${requested} redirected from ${from.url} (public address ${from.address}) to ${target}, which is at ${where}`
    : `${target} is at ${where} but was referenced by the public page ${initiator ?? '(unknown)'}`;
  return new FolioError(
    'BLOCKED_ADDRESS',
    `${origin}; Folio does not let a public page reach a private or local address. ` +
      'If you trust it, turn on the allowPrivateAddresses setting',
  );
}

function httpStatusError(describe: string, status: number, statusText: string): FolioError {
  const text = statusText || http.STATUS_CODES[status] || 'Unknown status';
  let advice = 'check the address';
  // 408 and 429 are "come back later" answers, worth retrying like 5xx.
  const transient = status >= 500 || status === 408 || status === 429;
  if (status >= 500) advice = 'the server failed, try again later';
  else if (status === 401 || status === 403) advice = 'the page needs a login or refuses automated downloads';
  else if (status === 408 || status === 429) advice = 'the server is busy or rate-limiting, try again later';
  else if (status < 200 || (status >= 300 && status < 400)) advice = 'the server did not send a page';
  return new FolioError('HTTP_STATUS', `${describe}: HTTP ${status} ${text}; ${advice}`, { transient });
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function formatMs(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
