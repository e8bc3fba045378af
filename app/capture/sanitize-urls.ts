import { bestImageUrl, parseSrcset, type SrcsetCandidate } from './srcset.js';

/**
 * URL rules shared by the pre-Readability pass and the sanitizer: which base relative URLs
 * resolve against, which schemes may survive in links and images, and srcset handling.
 * srcset parsing itself lives in srcset.ts (shared with the image stage).
 */

/** How URLs in one page are resolved and filtered. */
export interface UrlPolicy {
  /** Absolute URL relative references resolve against (page URL or an http(s) `<base href>`). */
  base: string;
  /** Local-file pages may reference sibling image files; web pages may never point at file:. */
  allowFileImages: boolean;
}

const LINK_SCHEMES = new Set(['http:', 'https:', 'mailto:', 'tel:']);
const WEB_SCHEMES = new Set(['http:', 'https:']);
/** A data: URL is only ever kept as an image: the image stage decodes and hashes it. */
const DATA_IMAGE = /^data:image\/[a-z0-9.+-]+[;,]/i;

export function policyFor(pageUrl: string, base: string): UrlPolicy {
  return { base, allowFileImages: pageUrl.startsWith('file:') };
}

/**
 * Resolves `value` against `base`; null when it is not a URL at all. Credentials
 * (`user:pass@`) are dropped: nothing Folio stores or shows (links, images, canonical URL)
 * may carry a password a page happened to contain.
 */
export function resolveUrl(value: string, base: string): URL | null {
  const trimmed = value.trim();
  if (trimmed === '') return null;
  try {
    const url = new URL(trimmed, base);
    url.username = '';
    url.password = '';
    return url;
  } catch {
    return null;
  }
}

/** http(s) only: the rule for canonical URLs, lead images and `<base href>`. */
export function absoluteWebUrl(value: string | null | undefined, base: string): string | null {
  if (!value) return null;
  const url = resolveUrl(value, base);
  return url && WEB_SCHEMES.has(url.protocol) ? url.href : null;
}

/** A link target the reader may follow, or null (javascript:, data:, vbscript:, file: …). */
export function safeHref(value: string, policy: UrlPolicy): string | null {
  const url = resolveUrl(value, policy.base);
  return url && LINK_SCHEMES.has(url.protocol) ? url.href : null;
}

/** An image source the image stage can fetch or decode, or null. */
export function safeImageSrc(value: string, policy: UrlPolicy): string | null {
  const trimmed = value.trim();
  if (DATA_IMAGE.test(trimmed)) return trimmed;
  const url = resolveUrl(trimmed, policy.base);
  if (!url) return null;
  if (WEB_SCHEMES.has(url.protocol)) return url.href;
  if (url.protocol === 'file:' && policy.allowFileImages) return url.href;
  return null;
}

/** Back to attribute text, descriptors in spec order. */
export function serializeSrcset(candidates: SrcsetCandidate[]): string {
  return candidates
    .map((c) => {
      const d = [c.width !== undefined ? `${c.width}w` : '', c.height !== undefined ? `${c.height}h` : '', c.density !== undefined ? `${c.density}x` : '']
        .filter(Boolean)
        .join(' ');
      return d ? `${c.url} ${d}` : c.url;
    })
    .join(', ');
}

/** Keeps only candidates whose URL passes `accept` (which also makes it absolute); '' when none is left. */
export function filterSrcset(value: string, accept: (url: string) => string | null): string {
  const kept: SrcsetCandidate[] = [];
  for (const c of parseSrcset(value)) {
    // data: candidates are lazy-loading placeholders in practice; src carries real inline images.
    if (/^data:/i.test(c.url)) continue;
    const url = accept(c.url);
    if (url) kept.push({ ...c, url });
  }
  return serializeSrcset(kept);
}

/** The candidate to use as `src` when only a srcset is known (the image stage's own choice). */
export function pickSrcsetCandidate(value: string): string | null {
  const usable = parseSrcset(value).filter((c) => !/^data:/i.test(c.url));
  return usable.length > 0 ? bestImageUrl(serializeSrcset(usable)) : null;
}

/**
 * The base URL relative references resolve against. Only a `<base href>` inside `<head>` and
 * resolving to http(s) is honoured: a `javascript:` base is ignored, and a `<base>` in the body
 * is treated as injected content rather than allowed to redirect every link on the page.
 */
export function documentBaseUrl(document: Document, pageUrl: string): string {
  const href = document.head?.querySelector('base[href]')?.getAttribute('href');
  return absoluteWebUrl(href, pageUrl) ?? pageUrl;
}

/**
 * Makes link, image and srcset URLs absolute in place, before Readability runs: the `<base>`
 * element is removed afterwards (so Readability cannot re-resolve against it), and lazy-image
 * URLs taken from data-* attributes are relative to the same base. Unsafe schemes are left for
 * the sanitizer to drop.
 */
export function absolutizeDocumentUrls(document: Document, base: string): void {
  const absolute = (v: string): string => resolveUrl(v, base)?.href ?? v;
  for (const el of document.querySelectorAll('a[href], area[href]')) el.setAttribute('href', absolute(el.getAttribute('href')!));
  for (const el of document.querySelectorAll('img[src], source[src]')) {
    const src = el.getAttribute('src')!;
    if (!/^data:/i.test(src.trim())) el.setAttribute('src', absolute(src));
  }
  for (const el of document.querySelectorAll('img[srcset], source[srcset]')) {
    const candidates = parseSrcset(el.getAttribute('srcset')!).map((c) =>
      /^data:/i.test(c.url) ? c : { ...c, url: absolute(c.url) },
    );
    el.setAttribute('srcset', serializeSrcset(candidates));
  }
  for (const el of [...document.querySelectorAll('base')]) el.remove();
}
