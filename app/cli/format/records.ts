/**
 * The documented `--json` records (JSONL: one object per line). Built field by field, in a
 * fixed order, so adding a field to ArticleSummary never silently changes the CLI's output.
 * notes/README-cli.md documents every field.
 */
import type { ArticleSummary, SearchHit } from '../../core/article.js';
import { snippetToMarkdown } from './snippet.js';

export interface ArticleRecord {
  id: number;
  title: string;
  url: string;
  site: string;
  savedAt: string;
  publishedTime: string | null;
  readingMinutes: number;
  wordCount: number;
  tags: string[];
  read: boolean;
  archived: boolean;
  favorite: boolean;
  status: ArticleSummary['status'];
}

export interface SearchRecord {
  id: number;
  title: string;
  url: string;
  site: string;
  savedAt: string;
  snippet: string;
  score: number;
}

/** The site as people name it: the page's site name, else the URL's host without www. */
export function siteOf(a: Pick<ArticleSummary, 'siteName' | 'url' | 'finalUrl'>): string {
  if (a.siteName && a.siteName.trim() !== '') return a.siteName.trim();
  for (const candidate of [a.finalUrl, a.url]) {
    try {
      return new URL(candidate).hostname.replace(/^www\./, '');
    } catch {
      // Not a URL (a local file saved by path): try the next one.
    }
  }
  return '';
}

export function articleRecord(a: ArticleSummary): ArticleRecord {
  return {
    id: a.id,
    title: a.title,
    url: a.url,
    site: siteOf(a),
    savedAt: a.savedAt,
    publishedTime: a.publishedTime,
    readingMinutes: a.readingMinutes,
    wordCount: a.wordCount,
    tags: [...a.tags],
    read: a.read,
    archived: a.archived,
    favorite: a.favorite,
    status: a.status,
  };
}

export function searchRecord(h: SearchHit): SearchRecord {
  return {
    id: h.id,
    title: h.title,
    url: h.url,
    site: siteOf(h),
    savedAt: h.savedAt,
    // One line: FTS5 snippets can span paragraph breaks.
    snippet: snippetToMarkdown(h.snippet.replace(/\s+/g, ' ').trim()),
    score: h.score,
  };
}

/** Flags as a short column: R read, A archived, F favorite, B bookmark (not captured yet). */
export function flagLetters(a: Pick<ArticleSummary, 'read' | 'archived' | 'favorite' | 'status'>): string {
  return `${a.read ? 'R' : '-'}${a.archived ? 'A' : '-'}${a.favorite ? 'F' : '-'}${a.status === 'bookmark' ? 'B' : ''}`;
}

/** Writes one JSON value per line to stdout. */
export function writeJsonLine(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + '\n');
}
