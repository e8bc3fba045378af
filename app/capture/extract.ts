import { Readability, isProbablyReaderable } from '@mozilla/readability';
import { FolioError } from '../core/errors.js';
import type { Extraction, Extractor } from '../core/types.js';
import { hasStyles, openDomWindow, preParse, type PreParseSteps } from './dom-window.js';
import { flattenDeepNesting } from './nesting.js';
import { convertSocialQuotes, convertVideoEmbeds, VIDEO_EMBED } from './embeds.js';
import { removeAdsAndOverlays } from './extract-boilerplate.js';
import { articleBodyHtml, cleanedBody } from './extract-fallbacks.js';
import { resolveLazyImages } from './lazy-images.js';
import { readJsonLdArticle } from './metadata-jsonld.js';
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
 * Order: tweets/ads → lazy images → absolute URLs → clone → Readability → video links →
 * DOMPurify → close the window.
 * If jsdom or Readability throws (jsdom's CSS parser does on some real pages), the page is
 * extracted again with its CSS stripped and a warning says so; if that fails too, this throws
 * FolioError('EXTRACT_FAILED') naming the URL and the cause.
 */
export function extractArticle(html: string, pageUrl: string, options: ExtractOptions = {}): Extraction {
  assertAbsoluteUrl(pageUrl);
  const flat = flattenDeepNesting(html);
  const notes =
    flat.depth === null
      ? []
      : [`${pageUrl} nests elements ${flat.depth} deep; its layout containers were removed before parsing (text kept).`];
  html = flat.html;
  try {
    return extractOnce(html, pageUrl, options, {}, notes);
  } catch (first) {
    if (!hasStyles(html)) throw extractFailed(pageUrl, first);
    const warnings = [
      ...notes,
      `Could not parse ${pageUrl} with its CSS (${reason(first)}); extracted it again without <style> elements and style attributes.`,
    ];
    try {
      return extractOnce(html, pageUrl, options, { stripStyles: true }, warnings);
    } catch (second) {
      throw extractFailed(pageUrl, second);
    }
  }
}

function extractOnce(
  rawHtml: string,
  pageUrl: string,
  options: ExtractOptions,
  steps: PreParseSteps,
  warnings: string[],
): Extraction {
  const dom = openDomWindow(preParse(rawHtml, steps), pageUrl);
  try {
    const { document, window } = dom;
    const base = documentBaseUrl(document, pageUrl);
    const policy = policyFor(pageUrl, base);
    // Metadata and JSON-LD first: Readability and the clean-ups below remove what they read.
    const jsonLd = readJsonLdArticle(document);
    const meta = readPageMetadata(document, base, jsonLd);

    convertSocialQuotes(document);
    if (document.body) removeAdsAndOverlays(document.body);
    resolveLazyImages(document);
    absolutizeDocumentUrls(document, base);
    markCodeLanguages(document);

    // Readability mutates the document it is given: run it on a clone so the fallbacks and
    // isProbablyReaderable still see the whole page.
    const clone = document.cloneNode(true) as Document;
    const article = new Readability<Element>(clone, {
      keepClasses: false,
      allowedVideoRegex: VIDEO_EMBED,
      maxElemsToParse: options.maxElements ?? 0,
      serializer: (el) => el as Element,
    }).parse();
    const sanitize = createArticleSanitizer(window, policy);

    let extractor: Extractor;
    let root: HTMLElement;
    const readabilityText = article?.textContent ?? '';
    if (article?.content && isArticle(readabilityText, document)) {
      extractor = 'readability';
      convertVideoEmbeds(article.content, clone, base);
      root = sanitize(article.content);
    } else {
      const fromJsonLd = jsonLd?.articleBody ? sanitize(articleBodyHtml(document, jsonLd.articleBody)) : null;
      if (fromJsonLd && weight(htmlToPlainText(fromJsonLd)) > weight(readabilityText)) {
        extractor = 'json-ld';
        root = fromJsonLd;
      } else {
        extractor = 'body';
        const body = cleanedBody(document);
        convertVideoEmbeds(body, document, base);
        root = sanitize(body);
      }
    }

    const text = htmlToPlainText(root);
    const count = countWords(text);
    const lang = meta.lang ?? normalizeLang(article?.lang ?? null);
    const jsdomErrors = dom.errors().map((e) => `Ignored a problem in ${pageUrl} while parsing: ${e}.`);
    if (count.words === 0) warnings.push(`No readable text found in ${pageUrl}; it may need rendering with a browser.`);
    return {
      title: chooseTitle(meta, article?.title, document, pageUrl),
      byline: meta.byline ?? clean(article?.byline)?.replace(/^by\s+/i, '') ?? null,
      siteName: meta.siteName ?? clean(article?.siteName),
      publishedTime: meta.publishedTime ?? toIsoDate(article?.publishedTime),
      lang,
      dir: meta.dir ?? normalizeDir(article?.dir) ?? dirFromLang(lang),
      excerpt: meta.excerpt ?? (extractor === 'readability' ? clean(article?.excerpt) : null) ?? firstParagraph(text),
      leadImage: meta.leadImage ?? firstWebImage(root),
      canonicalUrl: meta.canonicalUrl,
      html: root.innerHTML,
      text,
      wordCount: count.words,
      readingMinutes: readingMinutes(count),
      extractor,
      warnings: [...warnings, ...jsdomErrors],
    };
  } finally {
    dom.close();
  }
}

/** Declared title, else Readability's (cleaned `<title>`), else `<title>`, else the first h1, else the URL. */
function chooseTitle(meta: PageMetadata, readabilityTitle: string | null | undefined, document: Document, pageUrl: string): string {
  const found = meta.title ?? clean(readabilityTitle) ?? meta.documentTitle ?? clean(document.querySelector('h1')?.textContent);
  return found ? stripSiteName(found, meta.siteName) : pageUrl;
}

function isArticle(text: string, document: Document): boolean {
  const w = weight(text);
  if (w >= TRUSTED_ARTICLE_WEIGHT) return true;
  if (w < MIN_ARTICLE_WEIGHT) return false;
  return isProbablyReaderable(document);
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
