import type { ArticleStatus, ArticleSummary } from '../core/article.js';

/** Columns of `articles a` that make an ArticleSummary (tags come from tags-repo). */
export const SUMMARY_COLUMNS = `a.id, a.status, a.url, a.final_url, a.canonical_url, a.title, a.byline, a.site_name,
  a.excerpt, a.lang, a.published_at, a.saved_at, a.updated_at, a.word_count, a.reading_minutes, a.lead_image,
  a.is_read, a.is_archived, a.is_favorite, a.progress`;

export interface SummaryRow {
  id: number;
  status: ArticleStatus;
  url: string;
  final_url: string;
  canonical_url: string | null;
  title: string;
  byline: string | null;
  site_name: string | null;
  excerpt: string | null;
  lang: string | null;
  published_at: string | null;
  saved_at: string;
  updated_at: string;
  word_count: number;
  reading_minutes: number;
  lead_image: string | null;
  is_read: number;
  is_archived: number;
  is_favorite: number;
  progress: number;
}

export function toSummary(row: SummaryRow, tags: string[]): ArticleSummary {
  return {
    id: row.id,
    url: row.url,
    finalUrl: row.final_url,
    canonicalUrl: row.canonical_url,
    title: row.title,
    byline: row.byline,
    siteName: row.site_name,
    excerpt: row.excerpt,
    lang: row.lang,
    publishedTime: row.published_at,
    savedAt: row.saved_at,
    updatedAt: row.updated_at,
    wordCount: row.word_count,
    readingMinutes: row.reading_minutes,
    leadImage: row.lead_image,
    tags,
    status: row.status,
    readingProgress: row.progress,
    read: row.is_read === 1,
    archived: row.is_archived === 1,
    favorite: row.is_favorite === 1,
  };
}

/**
 * Snippet markers (U+E000/U+E001) must never occur in stored text, or a snippet could not tell
 * a highlight from content; NUL and other C0 controls (except tab and newlines) go too.
 */
export function cleanText(text: string): string {
  return text.replace(/[\uE000\uE001\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

export function cleanOptional(text: string | null | undefined): string | null {
  if (text === null || text === undefined) return null;
  const cleaned = cleanText(text).trim();
  return cleaned === '' ? null : cleaned;
}

/** A valid date string as stored (ISO 8601 UTC), or null. */
export function isoOrNull(value: string | null | undefined): string | null {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
