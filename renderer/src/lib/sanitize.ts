import createDOMPurify, { type Config } from 'dompurify';
import { ASSET_SCHEME } from '../../../app/core/types.js';

/**
 * Display-time sanitising of article HTML. The store already sanitised it at capture, but the
 * article is still someone else's markup, so the renderer checks again with its own, stricter
 * allow-list before anything reaches the live document (defence in depth).
 *
 * DOMPurify parses with DOMParser (an inert document: no scripts run, no images load) and
 * returns a DocumentFragment, which we then post-process: images may only come from the
 * archive, links only go to http(s) and open outside the app window.
 *
 * Note: if article HTML ever contained style="" or on*="" attributes (ingest strips them),
 * Chromium logs a CSP report while parsing it, even in an inert document, before DOMPurify
 * removes them. Nothing is applied or run; the console line is the CSP doing its job.
 */

const ALLOWED_TAGS = [
  'a', 'abbr', 'address', 'article', 'aside', 'b', 'bdi', 'bdo', 'blockquote', 'br', 'caption',
  'cite', 'code', 'col', 'colgroup', 'dd', 'del', 'details', 'dfn', 'div', 'dl', 'dt', 'em',
  'figcaption', 'figure', 'footer', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'i',
  'img', 'ins', 'kbd', 'li', 'mark', 'ol', 'p', 'pre', 'q', 'rp', 'rt', 'ruby', 's', 'samp',
  'section', 'small', 'span', 'strong', 'sub', 'summary', 'sup', 'table', 'tbody', 'td',
  'tfoot', 'th', 'thead', 'time', 'tr', 'u', 'ul', 'var', 'wbr',
];

// No id/class/name (they could clash with or target the app's own DOM and CSS), no style,
// no on* handlers, no srcset (it would bypass the src rewriting below).
const ALLOWED_ATTR = [
  'href', 'src', 'alt', 'title', 'width', 'height', 'colspan', 'rowspan', 'headers', 'scope',
  'lang', 'dir', 'datetime', 'cite', 'start', 'reversed', 'value', 'type', 'abbr', 'open', 'span',
];

const CONFIG: Config & { RETURN_DOM_FRAGMENT: true } = {
  ALLOWED_TAGS,
  ALLOWED_ATTR,
  FORBID_TAGS: ['script', 'style', 'iframe', 'frame', 'object', 'embed', 'form', 'input', 'button', 'textarea', 'select', 'svg', 'math', 'link', 'meta', 'base', 'template'],
  FORBID_ATTR: ['style', 'id', 'class', 'name', 'srcset', 'sizes', 'xlink:href', 'action', 'formaction'],
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false,
  // DOMPurify's default pattern with the scheme list cut down to web links and archive images
  // (it also vets plain values such as lang="fr", so those forms must stay allowed). The
  // post-pass below is stricter still for src and href.
  ALLOWED_URI_REGEXP: new RegExp(`^(?:(?:https?|${ASSET_SCHEME}):|[^a-z]|[a-z+.\\-]+(?:[^a-z+.\\-:]|$))`, 'i'),
  RETURN_DOM_FRAGMENT: true,
};

const ASSET_REF = new RegExp(`^${ASSET_SCHEME}:([0-9a-f]{64})$`, 'i');

let purifier: ReturnType<typeof createDOMPurify> | null = null;
function getPurifier() {
  // A private instance, so no other code's hooks or settings apply to article HTML.
  purifier ??= createDOMPurify(window);
  return purifier;
}

/** The sha256 of an archive image reference `folio-asset:<sha256>`, or null. */
export function assetSha(src: string | null): string | null {
  const m = src ? ASSET_REF.exec(src.trim()) : null;
  return m ? m[1]!.toLowerCase() : null;
}

/** True for absolute http: and https: URLs, the only links an article may keep. */
export function isWebUrl(href: string | null): boolean {
  if (!href) return false;
  try {
    const u = new URL(href.trim());
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * Returns the article as an inert fragment ready to insert: sanitised, images pointing at
 * `assetUrl(sha)` (all others lose their src, so nothing is fetched from the network), and
 * links opening in a new window with no opener or referrer.
 */
export function sanitizeArticleHtml(html: string, assetUrl: (sha256: string) => string): DocumentFragment {
  const fragment = getPurifier().sanitize(html, CONFIG);
  for (const img of fragment.querySelectorAll('img')) {
    const sha = assetSha(img.getAttribute('src'));
    if (sha) {
      img.setAttribute('src', assetUrl(sha));
      img.setAttribute('loading', 'lazy');
      img.setAttribute('decoding', 'async');
    } else {
      img.removeAttribute('src');
      img.setAttribute('data-folio-missing', '');
    }
    if (!img.hasAttribute('alt')) img.setAttribute('alt', '');
  }
  for (const a of fragment.querySelectorAll('a')) {
    if (isWebUrl(a.getAttribute('href'))) {
      a.setAttribute('href', a.getAttribute('href')!.trim());
      a.setAttribute('target', '_blank');
      a.setAttribute('rel', 'noopener noreferrer');
    } else {
      a.removeAttribute('href');
    }
  }
  return fragment;
}
