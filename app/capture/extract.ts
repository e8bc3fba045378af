import { Readability, isProbablyReaderable } from '@mozilla/readability';
import { FolioError } from '../core/errors.js';
import type { Extraction, Extractor } from '../core/types.js';
import { releaseDocument, sanitizerWindow } from './dom-window.js';
import { parseLightDocument } from './light-dom.js';
import { flattenDeepNesting } from './nesting.js';
import { preStrip } from './pre-strip.js';
import { convertSocialQuotes, convertVideoEmbeds, VIDEO_EMBED } from './embeds.js';
import { removeAdsAndOverlays } from './extract-boilerplate.js';
import { articleBodyHtml, cleanedBody } from './extract-fallbacks.js';
import { resolveLazyImages } from './lazy-images.js';
import { readJsonLdArticle, type JsonLdArticle } from './metadata-jsonld.js';
import { dirFromLang, normalizeDir, normalizeLang, readPageMetadata, stripSiteName, toIsoDate, type PageMetadata } from './metadata.js';
import { countWords, htmlToPlainText, readingMinutes } from './plain-text.js';
import { createArticleSanitizer, markCodeLanguages } from './sanitize.js';
import { absolutizeDocumentUrls, documentBaseUrl, policyFor } from './sanitize-urls.js';

export interface ExtractOptions {
  /**
   * Refuse pages with more elements than this (Readability's maxElemsToParse), failing with
   * EXTRACT_FAILED instead of spending minutes on them. Unset or 0: no limit.
   */
  maxElements?: number;
  /**
   * Remove scripts and styles from the HTML before parsing (default true; see pre-strip.ts).
   * Off only to re-prove on a corpus that it changes nothing.
   */
  preStrip?: boolean;
}

/**
 * Below this much text (CJK characters weigh 3, about one word each) Readability's result is
 * not an article; between it and Readability's own charThreshold (500) it is trusted only if
 * Readability's `isProbablyReaderable` agrees that the page has article-like paragraphs.
 */
const MIN_ARTICLE_WEIGHT = 140;
const TRUSTED_ARTICLE_WEIGHT = 500;
const EXCERPT_MAX_CHARS = 300;

/**
 * Pure-ish: HTML string + the URL it came from (final URL, or file URL) → sanitized article.
 * Never executes page scripts, never loads resources.
 *
 * Order: tweets/ads → lazy images → absolute URLs → Readability → video links → DOMPurify.
 * Everything up to the video links works on a light DOM (light-dom.ts); what is kept crosses to
 * the sanitizer as an HTML string, parsed afresh by jsdom, so DOMPurify judges exactly the tree
 * it serializes. Readability mutates the document it is given; the page is parsed a second time only when its
 * result is not clearly an article and the fallbacks need the whole page (about 1 page in 12 of
 * the corpus) — cheaper than cloning every page up front, which cost 7 % of extraction.
 * If parsing or Readability throws, this throws FolioError('EXTRACT_FAILED') naming the URL and
 * the cause.
 */
export function extractArticle(html: string, pageUrl: string, options: ExtractOptions = {}): Extraction {
  assertAbsoluteUrl(pageUrl);
  const flat = flattenDeepNesting(options.preStrip === false ? html : preStrip(html));
  const warnings =
    flat.depth === null
      ? []
      : [`${pageUrl} nests elements ${flat.depth} deep; its layout containers were removed before parsing (text kept).`];
  try {
    return extractOnce(flat.html, pageUrl, options, warnings);
  } catch (err) {
    throw extractFailed(pageUrl, err);
  }
}

interface PreparedPage {
  document: Document;
  base: string;
  elementCount: number;
}

interface PageFacts {
  jsonLd: JsonLdArticle | null;
  meta: PageMetadata;
  firstHeading: string | null;
}

/**
 * Parses the page and applies the clean-ups that come before Readability. `readFacts` sees the
 * page before any clean-up: Readability and the clean-ups remove what metadata is read from.
 */
function preparePage(html: string, pageUrl: string, readFacts?: (document: Document, base: string) => void): PreparedPage {
  const { document, elementCount } = parseLightDocument(html);
  const base = documentBaseUrl(document, pageUrl);
  readFacts?.(document, base);
  convertSocialQuotes(document);
  if (document.body) removeAdsAndOverlays(document.body);
  resolveLazyImages(document);
  absolutizeDocumentUrls(document, base);
  markCodeLanguages(document);
  return { document, base, elementCount };
}

function extractOnce(html: string, pageUrl: string, options: ExtractOptions, warnings: string[]): Extraction {
  let facts = null as PageFacts | null;
  const page = preparePage(html, pageUrl, (document, base) => {
    const jsonLd = readJsonLdArticle(document);
    facts = { jsonLd, meta: readPageMetadata(document, base, jsonLd), firstHeading: document.querySelector('h1')?.textContent ?? null };
  });
  const { jsonLd, meta, firstHeading } = facts!;
  assertPageSize(page.elementCount, options.maxElements);
  const { document } = page;

  // (Readability's own maxElemsToParse counts with getElementsByTagName('*'), which linkedom answers with nothing.)
  const article = new Readability<Element>(document, {
    keepClasses: false,
    allowedVideoRegex: VIDEO_EMBED,
    serializer: (el) => el as Element,
  }).parse();
  // The untouched page, for the fallbacks and isProbablyReaderable: parsed again on demand.
  let whole = null as Document | null;
  const wholePage = (): Document => (whole ??= preparePage(html, pageUrl).document);

  // What is kept leaves the page's light document as HTML and is parsed afresh by the sanitizer.
  const sanitize = (dirtyHtml: string): SanitizedArticle => sanitizeArticle(dirtyHtml, pageUrl, page.base);
  let extractor: Extractor;
  let kept: SanitizedArticle;
  const readabilityText = article?.textContent ?? '';
  if (article?.content && isArticle(readabilityText, wholePage)) {
    extractor = 'readability';
    convertVideoEmbeds(article.content, document, page.base);
    kept = sanitize(article.content.outerHTML);
  } else {
    const original = wholePage();
    const fromJsonLd = jsonLd?.articleBody ? sanitize(articleBodyHtml(original, jsonLd.articleBody)) : null;
    if (fromJsonLd && weight(fromJsonLd.text) > weight(readabilityText)) {
      extractor = 'json-ld';
      kept = fromJsonLd;
    } else {
      extractor = 'body';
      const body = cleanedBody(original);
      convertVideoEmbeds(body, original, page.base);
      kept = sanitize(body.outerHTML);
    }
  }

  const { html: cleanHtml, text, leadImage } = kept;
  const count = countWords(text);
  const lang = meta.lang ?? normalizeLang(article?.lang ?? null);
  if (count.words === 0) warnings.push(`No readable text found in ${pageUrl}; it may need rendering with a browser.`);
  return {
    title: chooseTitle(meta, article?.title, firstHeading, pageUrl),
    byline: meta.byline ?? clean(article?.byline)?.replace(/^by\s+/i, '') ?? null,
    siteName: meta.siteName ?? clean(article?.siteName),
    publishedTime: meta.publishedTime ?? toIsoDate(article?.publishedTime),
    lang,
    dir: meta.dir ?? normalizeDir(article?.dir) ?? dirFromLang(lang),
    excerpt: meta.excerpt ?? (extractor === 'readability' ? clean(article?.excerpt) : null) ?? firstParagraph(text),
    leadImage: meta.leadImage ?? leadImage,
    canonicalUrl: meta.canonicalUrl,
    html: cleanHtml,
    text,
    wordCount: count.words,
    readingMinutes: readingMinutes(count),
    extractor,
    warnings,
  };
}

interface SanitizedArticle {
  html: string;
  text: string;
  leadImage: string | null;
}

/**
 * Sanitizes kept HTML with DOMPurify on jsdom and reads what the extraction needs from the clean
 * `<body>`, whose document is then released (see dom-window.ts).
 */
function sanitizeArticle(dirtyHtml: string, pageUrl: string, base: string): SanitizedArticle {
  const root = createArticleSanitizer(sanitizerWindow(), policyFor(pageUrl, base))(dirtyHtml);
  try {
    return { html: root.innerHTML, text: htmlToPlainText(root), leadImage: firstWebImage(root) };
  } finally {
    releaseDocument(root.ownerDocument);
  }
}

/** The page-size limit (ExtractOptions.maxElements), in the words Readability used for it. */
function assertPageSize(elements: number, limit: number | undefined): void {
  if (limit && elements > limit) throw new Error(`Aborting parsing document; ${elements} elements found (the limit is ${limit})`);
}

/** Declared title, else Readability's (cleaned `<title>`), else `<title>`, else the first h1, else the URL. */
function chooseTitle(meta: PageMetadata, readabilityTitle: string | null | undefined, firstHeading: string | null | undefined, pageUrl: string): string {
  const found = meta.title ?? clean(readabilityTitle) ?? meta.documentTitle ?? clean(firstHeading);
  return found ? stripSiteName(found, meta.siteName) : pageUrl;
}

function isArticle(text: string, wholePage: () => Document): boolean {
  const w = weight(text);
  if (w >= TRUSTED_ARTICLE_WEIGHT) return true;
  if (w < MIN_ARTICLE_WEIGHT) return false;
  return isProbablyReaderable(wholePage());
}

/** Text length with CJK characters counted 3 times: one CJK character carries about a word. */
function weight(text: string): number {
  const collapsed = text.replace(/\s+/g, ' ').trim();
  return collapsed.length + 2 * countWords(collapsed).cjk;
}

function firstParagraph(text: string): string | null {
  const para = text.split(/\n\s*\n/).find((p) => p.trim().length > 0)?.replace(/\s+/g, ' ').trim();
  if (!para) return null;
  return para.length <= EXCERPT_MAX_CHARS ? para : `${para.slice(0, EXCERPT_MAX_CHARS - 1).trimEnd()}…`;
}

function firstWebImage(root: Element): string | null {
  const src = [...root.querySelectorAll('img[src]')].map((i) => i.getAttribute('src')!).find((s) => /^https?:/i.test(s));
  return src ?? null;
}

function clean(v: string | null | undefined): string | null {
  const t = v?.replace(/\s+/g, ' ').trim();
  return t ? t : null;
}

function assertAbsoluteUrl(pageUrl: string): void {
  try {
    new URL(pageUrl);
  } catch {
    throw new FolioError(
      'INVALID_INPUT',
      `Cannot extract an article for "${pageUrl}": it is not an absolute URL. Pass the page's final http(s) URL or its file:// URL.`,
    );
  }
}

function reason(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
}

function extractFailed(pageUrl: string, cause: unknown): FolioError {
  return new FolioError(
    'EXTRACT_FAILED',
    `Could not extract an article from ${pageUrl}: ${reason(cause)}. Save the page from a browser and import the file, or report the page if it keeps failing.`,
    { cause },
  );
}
