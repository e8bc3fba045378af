/**
 * The archive's view of an article, as the store returns it and the contract carries it.
 * Pure types; the renderer imports them.
 */
import type { Extractor } from './types.js';

/** `captured`: content stored. `bookmark`: imported with --no-fetch, only URL/title/dates so far. */
export type ArticleStatus = 'captured' | 'bookmark';

export interface ArticleFlags {
  read: boolean;
  archived: boolean;
  favorite: boolean;
}

/** One row of the library list: everything the list shows, nothing heavy. */
export interface ArticleSummary extends ArticleFlags {
  id: number;
  url: string; // normalised URL as saved (credentials stripped)
  finalUrl: string;
  canonicalUrl: string | null;
  title: string;
  byline: string | null;
  siteName: string | null;
  excerpt: string | null;
  lang: string | null;
  publishedTime: string | null; // ISO 8601
  savedAt: string; // ISO 8601, when the user saved it (kept from imports)
  updatedAt: string; // ISO 8601, last content or state change
  wordCount: number;
  readingMinutes: number;
  leadImage: string | null; // sha256 of a stored image, or null
  tags: string[];
  status: ArticleStatus;
  readingProgress: number; // 0..1
}

export interface StoredImageRef {
  sha256: string;
  type: string;
  bytes: number;
  url: string; // where it came from
}

/** A whole article: the summary plus its body. `html` references images as folio-asset:<sha256>. */
export interface ArticleDetail extends ArticleSummary {
  dir: 'ltr' | 'rtl' | null;
  html: string;
  text: string;
  extractor: Extractor | null;
  rendered: boolean;
  fetchedAt: string | null;
  images: StoredImageRef[];
}

export type ListSort = 'saved' | 'published' | 'title' | 'relevance';

export interface ListFilter {
  state?: 'all' | 'unread' | 'read' | 'archived' | 'favorite';
  tag?: string;
  site?: string;
}

export interface ListRequest extends ListFilter {
  sort?: ListSort;
  order?: 'asc' | 'desc';
  limit?: number; // default 50, max 500
  offset?: number;
}

export interface ListPage<T> {
  items: T[];
  total: number;
  /** Set (true) when counting stopped early: there are more than `total` results. */
  totalIsLowerBound?: true;
  offset: number;
  limit: number;
}

/**
 * A search hit. `snippet` marks each matched term with SNIPPET_MARK_START / SNIPPET_MARK_END
 * (private-use characters that never occur in article text), so each transport can render
 * them its own way: bold in a terminal, <mark> in the UI, left as-is in JSON.
 */
export interface SearchHit extends ArticleSummary {
  snippet: string;
  score: number;
}

/**
 * The order a page of search results is in. `sortedBy`: the query's `sort:` if it has one, else
 * `relevance` (best match first) when it has words to match, else `saved` (newest first).
 * `sortReason: 'common-words'`: no `sort:` was given but every word of the query is in at least
 * half of the articles, which gives relevance nothing to rank by (bm25 weighs such a word at
 * almost zero), so the page is newest first instead (`sortedBy: 'saved'`, every `score` 0);
 * `sort:relevance` ranks them anyway.
 */
export interface SearchOrder {
  sortedBy: ListSort;
  sortReason?: 'common-words';
}

export const SNIPPET_MARK_START = '\u{E000}';
export const SNIPPET_MARK_END = '\u{E001}';

export interface ArchiveStats {
  articles: number;
  bookmarks: number;
  unread: number;
  archived: number;
  favorites: number;
  tags: number;
  images: number;
  imageBytes: number;
  fileBytes: number;
  queue: { pending: number; running: number; failed: number; done: number };
}
