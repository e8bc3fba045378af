import { pickSrcsetCandidate } from './sanitize-urls.js';
import { parseSrcset } from './srcset.js';

/**
 * Lazy-loading scripts never run in Folio, so images must be recovered from where those
 * scripts would have read them: data-* attributes, `<noscript>` fallbacks and `<picture>`
 * sources. Runs on the parsed page before Readability (which would otherwise drop images
 * that look empty).
 */

/** Attributes lazy loaders keep the real image URL in, most specific first. */
const LAZY_SRC_ATTRS = [
  'data-src',
  'data-lazy-src',
  'data-original',
  'data-original-src',
  'data-url',
  'data-hi-res-src',
  'data-full-src',
  'data-actualsrc',
  'data-echo',
  'data-lazy',
  'data-img-src',
  'data-image',
];
const LAZY_SRCSET_ATTRS = ['data-srcset', 'data-lazy-srcset', 'data-original-set'];
/** Any data-* attribute holding a bare image URL counts as a last resort. */
const IMAGE_URL = /^\S+\.(?:jpe?g|png|gif|webp|avif)(?:[?#]\S*)?$/i;
/** File names lazy loaders use for their stand-in images ("lazy.gif", "blank-1x1.png", "spacer2.gif"). */
const PLACEHOLDER_NAME =
  /(?:^|[/_.-])(?:lazy|blank|spacer|pixel|placeholder|transparent|loading|loader|grey|gray|empty|1x1|dot)(?:[_.-]?\d+(?:x\d+)?)?\.(?:gif|png|svg|jpe?g|webp)(?:[?#].*)?$/i;

export function resolveLazyImages(document: Document): void {
  unwrapNoscriptImages(document);
  for (const img of document.querySelectorAll('img')) applyLazyAttributes(img);
  for (const source of document.querySelectorAll('picture source')) applyLazySrcset(source);
  flattenPictures(document);
  for (const img of document.querySelectorAll('img')) settlePlaceholder(img);
}

/**
 * True for the stand-ins lazy loaders put in `src`: nothing, a named spacer file, an empty
 * SVG, or a GIF/PNG of at most 2×2 pixels. A real inline image is not a placeholder.
 */
export function isPlaceholderSrc(src: string | null): boolean {
  const value = (src ?? '').trim();
  if (value === '' || value === '#' || value === 'about:blank') return true;
  if (/^data:/i.test(value)) return isPlaceholderDataUri(value);
  return PLACEHOLDER_NAME.test(value);
}

function isPlaceholderDataUri(uri: string): boolean {
  const comma = uri.indexOf(',');
  if (comma < 0) return true;
  const header = uri.slice(5, comma).toLowerCase();
  const payload = uri.slice(comma + 1);
  if (header.startsWith('image/svg+xml')) {
    const svg = header.includes('base64') ? decodeBase64(payload).toString('utf8') : safeDecode(payload);
    // Aspect-ratio placeholders are an <svg> with nothing drawn inside.
    return !/<svg[^>]*>[\s\S]*<[a-z]/i.test(svg);
  }
  if (!header.includes('base64')) return payload.length < 16;
  const bytes = decodeBase64(payload);
  const size = pixelSize(bytes);
  if (size) return size.width <= 2 && size.height <= 2;
  return bytes.length < 100;
}

function decodeBase64(payload: string): Buffer {
  return Buffer.from(safeDecode(payload).replace(/\s+/g, ''), 'base64');
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Width and height from a GIF or PNG header, enough to recognise 1×1 spacers. */
function pixelSize(bytes: Buffer): { width: number; height: number } | null {
  if (bytes.length >= 10 && bytes.toString('latin1', 0, 4) === 'GIF8') {
    return { width: bytes.readUInt16LE(6), height: bytes.readUInt16LE(8) };
  }
  if (bytes.length >= 24 && bytes.toString('latin1', 1, 4) === 'PNG') {
    return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  }
  return null;
}

function lazyValue(el: Element, names: string[]): string | null {
  for (const name of names) {
    const value = el.getAttribute(name)?.trim();
    if (value && !isPlaceholderSrc(value)) return value;
  }
  return null;
}

function applyLazyAttributes(img: Element): void {
  const src = img.getAttribute('src');
  // A lazy attribute holds the real image even when src already has a blurred preview.
  let real = lazyValue(img, LAZY_SRC_ATTRS);
  if (!real && isPlaceholderSrc(src)) {
    real =
      [...img.attributes].find((a) => a.name.startsWith('data-') && IMAGE_URL.test(a.value.trim()))?.value.trim() ??
      null;
  }
  if (real) img.setAttribute('src', real);
  applyLazySrcset(img);
}

function applyLazySrcset(el: Element): void {
  const srcset = lazyValue(el, LAZY_SRCSET_ATTRS);
  if (srcset && parseSrcset(srcset).length > 0) el.setAttribute('srcset', srcset);
}

/**
 * `<img placeholder><noscript><img real></noscript>`: the noscript image replaces the
 * placeholder. The page is parsed with scripting disabled (light-dom.ts), so noscript content is elements.
 */
function unwrapNoscriptImages(document: Document): void {
  for (const noscript of [...document.querySelectorAll('noscript')]) {
    const images = [...noscript.querySelectorAll('img')];
    if (images.length !== 1) continue;
    const real = images[0]!;
    if (isPlaceholderSrc(real.getAttribute('src')) && !real.getAttribute('srcset')) continue;
    const visible = precedingImage(noscript);
    if (visible && isStandIn(visible)) {
      if (!real.getAttribute('alt') && visible.getAttribute('alt')) real.setAttribute('alt', visible.getAttribute('alt')!);
      visible.replaceWith(real);
      noscript.remove();
    } else if (visible) {
      noscript.remove(); // the visible image is already real: the fallback would duplicate it
    } else {
      noscript.replaceWith(real);
    }
  }
}

/** The image a noscript fallback stands behind: its previous sibling, or the only image in it. */
function precedingImage(noscript: Element): Element | null {
  const prev = noscript.previousElementSibling;
  if (!prev) return null;
  if (prev.tagName === 'IMG') return prev;
  const inner = prev.querySelectorAll('img');
  return inner.length === 1 ? inner[0]! : null;
}

function isStandIn(img: Element): boolean {
  return (
    isPlaceholderSrc(img.getAttribute('src')) ||
    LAZY_SRC_ATTRS.some((a) => img.hasAttribute(a)) ||
    LAZY_SRCSET_ATTRS.some((a) => img.hasAttribute(a))
  );
}

/** `<picture>` is not kept by the sanitizer: fold its best source into the `<img>`. */
function flattenPictures(document: Document): void {
  for (const picture of [...document.querySelectorAll('picture')]) {
    const img = picture.querySelector('img');
    const sources = [...picture.querySelectorAll('source')].filter((s) => s.getAttribute('srcset')?.trim());
    // A source without a media query applies everywhere; otherwise the first one is the author's default.
    const source = sources.find((s) => !s.getAttribute('media')) ?? sources[0];
    if (!img) {
      const fallback = source && pickSrcsetCandidate(source.getAttribute('srcset')!);
      if (fallback) {
        const made = document.createElement('img');
        made.setAttribute('src', fallback);
        made.setAttribute('srcset', source!.getAttribute('srcset')!);
        picture.replaceWith(made);
      }
      continue;
    }
    if (source) {
      const srcset = source.getAttribute('srcset')!;
      if (isPlaceholderSrc(img.getAttribute('src'))) {
        const pick = pickSrcsetCandidate(srcset);
        if (pick) img.setAttribute('src', pick);
      }
      if (!img.getAttribute('srcset')?.trim() || allPlaceholders(img.getAttribute('srcset')!)) {
        img.setAttribute('srcset', srcset);
      }
    }
    picture.replaceWith(img);
  }
}

function allPlaceholders(srcset: string): boolean {
  return parseSrcset(srcset).every((c) => isPlaceholderSrc(c.url));
}

/** Last step: a placeholder src takes a srcset candidate, or the empty image goes. */
function settlePlaceholder(img: Element): void {
  const srcset = img.getAttribute('srcset');
  if (srcset && allPlaceholders(srcset)) img.removeAttribute('srcset');
  if (!isPlaceholderSrc(img.getAttribute('src'))) return;
  const pick = img.getAttribute('srcset') ? pickSrcsetCandidate(img.getAttribute('srcset')!) : null;
  if (pick && !isPlaceholderSrc(pick)) img.setAttribute('src', pick);
  else img.remove();
}
