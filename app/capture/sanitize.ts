import createDOMPurify, { type Config } from 'dompurify';
import type { DOMWindow } from 'jsdom';
import { filterSrcset, pickSrcsetCandidate, safeHref, safeImageSrc, type UrlPolicy } from './sanitize-urls.js';

/**
 * The reader shows archived HTML inside the app, so article HTML goes through DOMPurify with a
 * strict allow-list: text structure, links and images only. No scripts, styles, frames, forms,
 * SVG/MathML, event handlers, classes or ids (ids and names would let a page clobber DOM
 * globals in the reader). The one data attribute kept is `data-lang` on pre/code, checked
 * against CODE_LANG_VALUE. Links get rel="noopener noreferrer"; every URL is made absolute and
 * must use a safe scheme.
 */

const ALLOWED_TAGS = [
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'br', 'hr',
  'ul', 'ol', 'li', 'dl', 'dt', 'dd',
  'blockquote', 'q', 'pre', 'code', 'kbd', 'samp', 'var',
  'table', 'caption', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'colgroup', 'col',
  'figure', 'figcaption', 'img', 'a',
  'em', 'strong', 'b', 'i', 'u', 's', 'del', 'ins', 'mark', 'small', 'cite', 'sup', 'sub', 'wbr', 'bdi',
  'details', 'summary', 'time', 'abbr',
  // Structural wrappers carry no attributes; keeping them keeps block boundaries in the text.
  'div', 'section', 'article', 'span',
];

/** Attributes allowed per tag ('*' = on every allowed tag). */
const ATTRS_BY_TAG: Record<string, readonly string[]> = {
  '*': ['title', 'lang', 'dir'],
  a: ['href'],
  img: ['src', 'srcset', 'alt', 'width', 'height'],
  td: ['colspan', 'rowspan'],
  th: ['colspan', 'rowspan', 'scope'],
  col: ['span'],
  colgroup: ['span'],
  ol: ['start', 'reversed'],
  li: ['value'],
  time: ['datetime'],
  details: ['open'],
  // A code block's language (see markCodeLanguages): the Markdown export writes it on the fence.
  pre: ['data-lang'],
  code: ['data-lang'],
};
const ALLOWED_ATTR = [...new Set(Object.values(ATTRS_BY_TAG).flat())];
const LANG_VALUE = /^[a-z]{1,8}(?:-[a-z0-9]{1,8})*$/i;
const DIR_VALUE = /^(?:ltr|rtl|auto)$/i;
/** A code language name: short and plain, so it can never break a Markdown fence line. */
export const CODE_LANG_VALUE = /^[a-z0-9+#-]{1,20}$/;
/** `language-js` (Prism, highlight.js, CommonMark renderers), `lang-js` (Prettify), `highlight-source-js` (GitHub). */
const CODE_LANG_CLASS = /(?:^|\s)(?:language|lang|highlight-source)-([a-z0-9+#-]{1,20})(?=\s|$)/i;
const HIGHLIGHT_SOURCE_CLASS = /(?:^|\s)highlight-source-([a-z0-9+#-]{1,20})(?=\s|$)/i;

/**
 * Keeps the language of code blocks, which pages record in classes that extraction drops
 * (Readability strips classes, and so does the sanitizer): a `language-x`, `lang-x` or
 * `highlight-source-x` class on a pre or code (GitHub puts highlight-source-x on the div around
 * the pre) becomes `data-lang="x"`, the one attribute the sanitizer keeps for it. Run on the page
 * before Readability; the sanitizer also applies it to what it is given.
 */
export function markCodeLanguages(root: ParentNode): void {
  for (const el of root.querySelectorAll('pre, code')) markCodeLanguage(el);
}

function markCodeLanguage(el: Element): void {
  if (el.hasAttribute('data-lang')) return;
  let lang = CODE_LANG_CLASS.exec(el.getAttribute('class') ?? '')?.[1];
  if (!lang && el.nodeName === 'PRE') lang = HIGHLIGHT_SOURCE_CLASS.exec(el.parentElement?.getAttribute('class') ?? '')?.[1];
  if (lang) el.setAttribute('data-lang', lang.toLowerCase());
}

const CONFIG: Config = {
  ALLOWED_TAGS,
  ALLOWED_ATTR,
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false,
  // DOMPurify's first pass; the afterSanitizeAttributes hook is the real gate (per attribute
  // and per page: file: survives only as an image of a local page).
  ALLOWED_URI_REGEXP: /^(?:(?:https?|mailto|tel|file):|[^a-z]|[a-z+.-]+(?:[^a-z+.\-:]|$))/i,
  KEEP_CONTENT: true, // unknown wrappers (font, center…) are unwrapped, their text kept
  SANITIZE_DOM: true,
  WHOLE_DOCUMENT: false,
};

/** Sanitizes an article (detached element or HTML string) into a detached `<body>` of clean HTML. */
export type ArticleSanitizer = (input: Node | string) => HTMLElement;

/** One sanitizer per page window: DOMPurify must use that window's DOM implementation. */
export function createArticleSanitizer(window: DOMWindow, policy: UrlPolicy): ArticleSanitizer {
  const purify = createDOMPurify(window as unknown as Parameters<typeof createDOMPurify>[0]);

  purify.addHook('uponSanitizeElement', (node) => {
    // Before the element's attributes are filtered, while its class is still there.
    if (node.nodeName === 'PRE' || node.nodeName === 'CODE') markCodeLanguage(node as Element);
  });

  purify.addHook('uponSanitizeAttribute', (node, data) => {
    const tag = node.nodeName.toLowerCase();
    const name = data.attrName;
    const allowed = ATTRS_BY_TAG['*']!.includes(name) || (ATTRS_BY_TAG[tag]?.includes(name) ?? false);
    if (!allowed) data.keepAttr = false;
    else if (name === 'lang' && !LANG_VALUE.test(data.attrValue)) data.keepAttr = false;
    else if (name === 'dir' && !DIR_VALUE.test(data.attrValue)) data.keepAttr = false;
    else if (name === 'data-lang') {
      const lang = data.attrValue.trim().toLowerCase();
      if (CODE_LANG_VALUE.test(lang)) data.attrValue = lang;
      else data.keepAttr = false;
    }
  });

  purify.addHook('afterSanitizeAttributes', (node) => {
    const el = node as Element;
    if (el.nodeName === 'A') {
      rewrite(el, 'href', (v) => safeHref(v, policy));
      el.setAttribute('rel', 'noopener noreferrer');
    } else if (el.nodeName === 'IMG') {
      rewrite(el, 'src', (v) => safeImageSrc(v, policy));
      rewrite(el, 'srcset', (v) => filterSrcset(v, (u) => safeImageSrc(u, policy)) || null);
    }
  });

  return (input) => {
    // DOMPurify cannot remove the root it is handed (e.g. a <body>): give it a neutral holder.
    // This moves `input` out of its tree; callers pass detached copies.
    let dirty: Node | string = input;
    const holder = typeof input !== 'string' && input.ownerDocument ? input.ownerDocument.createElement('div') : null;
    if (holder) {
      holder.appendChild(input as Node);
      dirty = holder;
    }
    const body = purify.sanitize(dirty, { ...CONFIG, RETURN_DOM: true }) as HTMLElement;
    if (holder && body.firstElementChild?.tagName === 'DIV') body.firstElementChild.replaceWith(...body.firstElementChild.childNodes);
    tidy(body, policy);
    return body;
  };
}

function rewrite(el: Element, attr: string, fix: (value: string) => string | null): void {
  const value = el.getAttribute(attr);
  if (value === null) return;
  const fixed = fix(value);
  if (fixed === null) el.removeAttribute(attr);
  else if (fixed !== value) el.setAttribute(attr, fixed);
}

/** After sanitizing: images need a usable src, and links whose target was unsafe become text. */
function tidy(body: HTMLElement, policy: UrlPolicy): void {
  for (const img of [...body.querySelectorAll('img')]) {
    if (img.getAttribute('src')) continue;
    const pick = img.getAttribute('srcset') ? pickSrcsetCandidate(img.getAttribute('srcset')!) : null;
    const src = pick ? safeImageSrc(pick, policy) : null;
    if (src) img.setAttribute('src', src);
    else img.remove();
  }
  for (const a of [...body.querySelectorAll('a:not([href])')]) a.replaceWith(...a.childNodes);
}
