import type { JsonLdArticle } from './metadata-jsonld.js';
import { absoluteWebUrl } from './sanitize-urls.js';

/**
 * Page metadata read from the untouched document (before Readability mutates anything):
 * JSON-LD first (the most deliberate source), then Open Graph / Twitter / Dublin Core /
 * Parse.ly meta tags, then markup (`<time>`, `<html lang dir>`). Values are null when absent.
 */
export interface PageMetadata {
  /** The title the page declares for sharing (JSON-LD headline, og:title…). */
  title: string | null;
  /** `<title>`, which usually carries the site name too. */
  documentTitle: string | null;
  byline: string | null;
  siteName: string | null;
  publishedTime: string | null;
  lang: string | null;
  dir: 'ltr' | 'rtl' | null;
  excerpt: string | null;
  leadImage: string | null;
  canonicalUrl: string | null;
}

export function readPageMetadata(document: Document, base: string, jsonLd: JsonLdArticle | null): PageMetadata {
  const meta = metaTags(document);
  const first = (...keys: string[]): string | null => {
    for (const k of keys) {
      const v = meta.get(k);
      if (v) return v;
    }
    return null;
  };

  return {
    title: clean(jsonLd?.headline) ?? first('og:title', 'twitter:title', 'dc.title', 'parsely-title'),
    documentTitle: clean(document.title),
    byline:
      (jsonLd && jsonLd.authors.length > 0 ? jsonLd.authors.join(', ') : null) ??
      nameNotUrl(first('author', 'article:author', 'parsely-author', 'dc.creator', 'byl', 'sailthru.author')),
    siteName: first('og:site_name', 'application-name', 'apple-mobile-web-app-title') ?? clean(jsonLd?.publisher),
    publishedTime: publishedTime(document, jsonLd, first),
    lang: normalizeLang(
      document.documentElement.getAttribute('lang') ??
        first('http-equiv:content-language', 'content-language', 'og:locale', 'dc.language') ??
        jsonLd?.inLanguage ??
        null,
    ),
    dir: normalizeDir(document.documentElement.getAttribute('dir') ?? document.body?.getAttribute('dir') ?? null),
    excerpt: first('og:description', 'twitter:description', 'description', 'dc.description') ?? clean(jsonLd?.description),
    leadImage: firstWebUrl(base, [
      ...['og:image:secure_url', 'og:image', 'og:image:url', 'twitter:image', 'twitter:image:src'].map((k) => meta.get(k)),
      jsonLd?.image,
      document.querySelector('link[rel~="image_src" i]')?.getAttribute('href'),
    ]),
    canonicalUrl: firstWebUrl(base, [
      document.querySelector('link[rel~="canonical" i]')?.getAttribute('href'),
      meta.get('og:url'),
      jsonLd?.url,
    ]),
  };
}

/** All meta tags by lower-cased property/name/itemprop (http-equiv prefixed); first value wins. */
function metaTags(document: Document): Map<string, string> {
  const out = new Map<string, string>();
  for (const el of document.querySelectorAll('meta[content]')) {
    const value = clean(el.getAttribute('content'));
    if (!value) continue;
    const keys = [el.getAttribute('property'), el.getAttribute('name'), el.getAttribute('itemprop')];
    const equiv = el.getAttribute('http-equiv');
    if (equiv) keys.push(`http-equiv:${equiv}`);
    for (const key of keys) {
      // Some sites write several properties in one attribute: property="og:title twitter:title".
      for (const k of (key ?? '').toLowerCase().split(/\s+/)) if (k && !out.has(k)) out.set(k, value);
    }
  }
  return out;
}

function publishedTime(
  document: Document,
  jsonLd: JsonLdArticle | null,
  first: (...keys: string[]) => string | null,
): string | null {
  // Cheapest first, and lazily: each selector below is a scan of the whole page, and most pages
  // answer from JSON-LD or a meta tag.
  const datetimeOf = (selector: string) => () => document.querySelector(selector)?.getAttribute('datetime');
  const candidates: (() => string | null | undefined)[] = [
    () => jsonLd?.datePublished,
    () =>
      first(
        'article:published_time',
        'og:article:published_time',
        'og:published_time',
        'published_time',
        'article.published',
        'datepublished',
        'parsely-pub-date',
        'sailthru.date',
        'dc.date.issued',
        'dcterms.issued',
        'dc.date',
        'dcterms.date',
        'dc.date.created',
        'dcterms.created',
        'citation_publication_date',
        'pubdate',
        'publishdate',
        'publish-date',
        'date',
      ),
    datetimeOf('[itemprop="datePublished"][datetime]'),
    datetimeOf('time[pubdate][datetime]'),
    datetimeOf('article time[datetime]'),
    datetimeOf('main time[datetime]'),
    () => document.body?.querySelector('time[datetime]')?.getAttribute('datetime'),
  ];
  for (const candidate of candidates) {
    const iso = toIsoDate(candidate());
    if (iso) return iso;
  }
  return null;
}

const ISO_LIKE = /^(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Any date string to ISO 8601 (UTC, `toISOString`). Dates and times without a zone are read
 * as UTC, so the result does not depend on the machine's time zone.
 */
export function toIsoDate(value: string | null | undefined): string | null {
  const s = value?.trim();
  if (!s) return null;
  const m = ISO_LIKE.exec(s);
  if (m) {
    const [, y, mo = '1', d = '1', h = '0', mi = '0', sec = '0', frac = '0', zone] = m;
    const ms = Number(frac.padEnd(3, '0').slice(0, 3));
    let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec), ms);
    if (zone && zone.toUpperCase() !== 'Z') {
      const zm = /([+-])(\d{2}):?(\d{2})/.exec(zone)!;
      t -= (zm[1] === '-' ? -1 : 1) * (Number(zm[2]) * 60 + Number(zm[3])) * 60_000;
    }
    return plausible(t);
  }
  // RFC 2822 and prose dates ("March 5, 2024"): keep an explicit zone, else read as UTC.
  const zoned = /(?:\b(?:GMT|UTC|Z)\b|[+-]\d{4}\b)/i.test(s);
  return plausible(Date.parse(zoned ? s : `${s} UTC`));
}

function plausible(t: number): string | null {
  if (!Number.isFinite(t)) return null;
  const year = new Date(t).getUTCFullYear();
  return year >= 1900 && year <= 2200 ? new Date(t).toISOString() : null;
}

/** "en_US" → "en-US"; "en, fr" → "en"; junk → null. */
export function normalizeLang(value: string | null): string | null {
  const first = value?.split(/[,;]/)[0]?.trim().replace(/_/g, '-');
  return first && /^[a-z]{2,8}(?:-[a-z0-9]{1,8})*$/i.test(first) ? first : null;
}

export function normalizeDir(value: string | null | undefined): 'ltr' | 'rtl' | null {
  const v = value?.trim().toLowerCase();
  return v === 'rtl' || v === 'ltr' ? v : null;
}

/** Scripts written right to left, for pages that give a language but no `dir`. */
const RTL_LANGS = new Set(['ar', 'arc', 'ckb', 'dv', 'fa', 'he', 'iw', 'ks', 'ku', 'ps', 'sd', 'syr', 'ug', 'ur', 'yi']);
export function dirFromLang(lang: string | null): 'rtl' | null {
  const primary = lang?.split('-')[0]?.toLowerCase();
  return primary && RTL_LANGS.has(primary) ? 'rtl' : null;
}

const TITLE_SEPARATOR = '[|\\-–—:·•»/]';

/** "Headline | Site" or "Site — Headline" → "Headline", when the site name is known. */
export function stripSiteName(title: string, siteName: string | null): string {
  if (!siteName) return title;
  const site = siteName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const stripped = title
    .replace(new RegExp(`\\s+${TITLE_SEPARATOR}\\s*${site}\\s*$`, 'i'), '')
    .replace(new RegExp(`^\\s*${site}\\s*${TITLE_SEPARATOR}\\s+`, 'i'), '')
    .trim();
  return stripped || title;
}

/** The first candidate that is a usable http(s) URL, made absolute. */
function firstWebUrl(base: string, candidates: (string | null | undefined)[]): string | null {
  for (const c of candidates) {
    const url = absoluteWebUrl(c, base);
    if (url) return url;
  }
  return null;
}

function clean(v: string | null | undefined): string | null {
  const t = v?.replace(/\s+/g, ' ').trim();
  return t ? t : null;
}

/** `article:author` is often a profile URL, which is not a byline. */
function nameNotUrl(v: string | null): string | null {
  if (!v || /^https?:\/\//i.test(v)) return null;
  return v.replace(/^by\s+/i, '');
}
