/**
 * Plain data shapes that flow between the layers (capture → store → search → contract → UI).
 * No behaviour here and no Node APIs: the renderer imports this file too.
 */

/** Which strategy produced an article body. */
export type Extractor = 'readability' | 'json-ld' | 'body';

/** One image referenced by a captured article. Either stored (sha256 set) or failed (error set). */
export type CapturedImage =
  | { url: string; sha256: string; type: string; bytes: number }
  | { url: string; error: string };

/** The bytes of a downloaded image, kept beside the extraction until the store takes them. */
export interface ImageBlob {
  sha256: string;
  type: string; // sniffed MIME type, e.g. image/png
  data: Uint8Array;
}

/** The metadata extraction finds on a page. Missing values are null, never undefined. */
export interface ArticleMetadata {
  title: string;
  byline: string | null;
  siteName: string | null;
  publishedTime: string | null; // ISO 8601
  lang: string | null;
  dir: 'ltr' | 'rtl' | null;
  excerpt: string | null;
  leadImage: string | null; // absolute URL (before image rewriting) or folio-asset reference after
  canonicalUrl: string | null;
}

/** What `extract` returns for one page: sanitized HTML, plain text, metadata. */
export interface Extraction extends ArticleMetadata {
  html: string; // sanitized article HTML, absolute URLs
  text: string; // plain text, paragraphs separated by blank lines
  wordCount: number;
  readingMinutes: number;
  extractor: Extractor;
  /** Non-fatal problems met on the way (e.g. "CSS parse error ignored"). */
  warnings: string[];
}

/**
 * The full result of capturing one input (URL or file): the extraction with images made offline.
 * `html` references images as `folio-asset:<sha256>` URLs (see ASSET_SCHEME).
 */
export interface Capture extends Extraction {
  input: string;
  url: string; // the URL as requested (or file:// URL for a local file)
  finalUrl: string; // after redirects
  images: CapturedImage[];
  rendered: boolean;
  /** The page's original HTML as decoded (kept compressed in the archive). */
  originalHtml: string;
  /**
   * originalHtml already compressed as the archive keeps it (CaptureOptions.compressOriginal),
   * so saving does not compress it on the calling thread. Without it the store compresses.
   */
  originalCompressed?: CompressedText;
  fetchedAt: string; // ISO 8601
}

/** Text as the archive keeps it, compressed (app/store/compress.ts makes and reads it). */
export interface CompressedText {
  codec: 'br' | 'gzip' | 'identity';
  data: Uint8Array;
  /** Uncompressed size in bytes (UTF-8). */
  bytes: number;
}

/** Images in stored article HTML are referenced by this scheme + their SHA-256. */
export const ASSET_SCHEME = 'folio-asset';
export function assetUrl(sha256: string): string {
  return `${ASSET_SCHEME}:${sha256}`;
}

export type RenderMode = 'auto' | 'never' | 'always';

export type ArticleState = 'unread' | 'read';
