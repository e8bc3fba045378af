/**
 * URL normalisation for deduplication: two URLs that lead to the same article should compare
 * equal after `normalizeUrl`. Pure (no Node APIs): the store, the queue and the UI all use it.
 *
 * What changes: scheme and host lower-case (IDN hosts become punycode — WHATWG URL does both),
 * default ports dropped, user name and password dropped, the fragment dropped (except `#!…`
 * and `#/…`, which single-page sites use as routes), trailing slashes on the path dropped (the
 * root `/` stays), tracking parameters dropped and the remaining query parameters sorted.
 * What does not change: the path's case, the encoding of query values, `www.` — those can
 * name different documents.
 */
import { FolioError } from './errors.js';

/** Exact query parameter names (compared lower-case) that only track the click. */
const TRACKING_PARAMS = new Set([
  'fbclid',
  'gclid',
  'gclsrc',
  'gbraid',
  'wbraid',
  'dclid',
  'msclkid',
  'twclid',
  'ttclid',
  'li_fat_id',
  'igshid',
  'yclid',
  'ref_src',
  'ref_url',
  '_ga',
  '_gl',
  '_hsenc',
  '_hsmi',
  '__hssc',
  '__hstc',
  '__hsfp',
  'hsctatracking',
  'mkt_tok',
  'wt_mc',
  'wt_mc_id',
  'wt.mc_id',
  'spm',
  'srsltid',
  '_branch_match_id',
  's_kwcid',
  'rb_clickid',
]);

/** Name prefixes (lower-case) of tracking parameter families: utm_source, mc_cid, oly_anon_id… */
const TRACKING_PREFIXES = ['utm_', 'mc_', 'oly_', 'vero_', 'pk_campaign', 'pk_kwd', 'pk_source', 'pk_medium'];

/** True for a query parameter name that only tracks the visit (case-insensitive). */
export function isTrackingParam(name: string): boolean {
  const key = name.toLowerCase();
  return TRACKING_PARAMS.has(key) || TRACKING_PREFIXES.some((p) => key.startsWith(p));
}

/**
 * The comparison form of a URL (see the file comment for the rules).
 * @throws FolioError('INVALID_INPUT') when `url` is not an absolute URL.
 */
export function normalizeUrl(url: string): string {
  const normalized = tryNormalizeUrl(url);
  if (normalized === null) {
    throw new FolioError(
      'INVALID_INPUT',
      `"${String(url).slice(0, 200)}" is not an absolute URL; give the full address, e.g. https://example.com/page`,
    );
  }
  return normalized;
}

/** Like `normalizeUrl`, but returns null for anything that is not an absolute URL. */
export function tryNormalizeUrl(url: string): string | null {
  const parsed = parseWithoutCredentials(url);
  if (parsed === null) return null;
  const web = parsed.protocol === 'http:' || parsed.protocol === 'https:';
  if (web) {
    const path = parsed.pathname.replace(/\/+$/, '');
    parsed.pathname = path === '' ? '/' : path;
    parsed.search = cleanQuery(parsed.search);
  }
  if (!/^#[!/]/.test(parsed.hash)) parsed.hash = '';
  return parsed.href;
}

/**
 * The form of a URL Folio stores and shows: credentials, tracking parameters and a plain
 * fragment removed, everything else (path and its trailing slash, parameter order) as the page
 * gave it, since a server may treat /a and /a/ as different pages. Null for a non-URL.
 */
export function cleanUrl(url: string): string | null {
  const parsed = parseWithoutCredentials(url);
  if (parsed === null) return null;
  if (parsed.protocol === 'http:' || parsed.protocol === 'https:') parsed.search = cleanQuery(parsed.search, false);
  if (!/^#[!/]/.test(parsed.hash)) parsed.hash = '';
  return parsed.href;
}

/** Removes credentials only (for URLs shown or stored as given). Non-URLs pass through unchanged. */
export function stripCredentials(url: string): string {
  try {
    const parsed = new URL(url.trim());
    if (!parsed.username && !parsed.password) return url;
    parsed.username = '';
    parsed.password = '';
    return parsed.href;
  } catch {
    return url;
  }
}

/** Host name without a leading `www.`, lower-case; '' for URLs without a host (file:). */
export function siteHost(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase().replace(/^www\./, '');
  } catch {
    return '';
  }
}

/**
 * Drops tracking parameters and sorts the rest by name, then by the raw pair. Works on the raw
 * `name=value` segments so that values keep their exact encoding (re-serialising through
 * URLSearchParams would turn `%20` into `+` and `?a` into `?a=`).
 */
/** An absolute URL with its credentials removed, or null. */
function parseWithoutCredentials(url: string): URL | null {
  if (typeof url !== 'string') return null;
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return null;
  }
  // A Windows path such as C:\notes\page.html parses as scheme "c:"; no real scheme is one letter long.
  if (parsed.protocol.length <= 2) return null;
  parsed.username = '';
  parsed.password = '';
  return parsed;
}

function cleanQuery(search: string, sort = true): string {
  if (search.length <= 1) return '';
  const kept: { name: string; raw: string }[] = [];
  for (const raw of search.slice(1).split('&')) {
    if (raw === '') continue;
    const rawName = raw.split('=', 1)[0]!;
    const name = safeDecode(rawName.replace(/\+/g, ' '));
    if (isTrackingParam(name)) continue;
    kept.push({ name, raw });
  }
  if (sort) kept.sort((a, b) => compare(a.name, b.name) || compare(a.raw, b.raw));
  return kept.length === 0 ? '' : `?${kept.map((k) => k.raw).join('&')}`;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
