import { stringify } from 'yaml';
import type { ArticleDetail } from '../core/article.js';
import { authorDisplayNames } from './authors.js';

/**
 * YAML front matter for an exported Markdown article, written by the `yaml` library (never by
 * string concatenation: titles hold colons, quotes, `#` and newlines).
 *
 * Keys shared with Obsidian Web Clipper's default template, with the same meaning, so notes
 * from both tools sort and query together: title, source, author (a list), published (YYYY-MM-DD),
 * created (the day it was saved, YYYY-MM-DD), description (the excerpt), tags.
 * Folio's own keys: site, lang, word_count, folio_id, read, favorite, archived.
 */
export interface FrontMatter {
  title: string;
  source: string;
  author: string[];
  site: string | null;
  published: string | null;
  created: string;
  description: string | null;
  tags: string[];
  lang: string | null;
  word_count: number;
  folio_id: number;
  read: boolean;
  favorite: boolean;
  archived: boolean;
}

export function frontMatterOf(a: ArticleDetail): FrontMatter {
  return {
    title: a.title,
    source: a.canonicalUrl ?? a.finalUrl ?? a.url,
    author: authorDisplayNames(a.byline),
    site: a.siteName,
    published: a.publishedTime ? dateOnly(a.publishedTime) : null,
    created: dateOnly(a.savedAt),
    description: a.excerpt,
    tags: obsidianTags(a.tags),
    lang: a.lang,
    word_count: a.wordCount,
    folio_id: a.id,
    read: a.read,
    favorite: a.favorite,
    archived: a.archived,
  };
}

/** `---\n<yaml>---\n` */
export function renderFrontMatter(fm: FrontMatter): string {
  // lineWidth 0: no folding, so long titles stay on one line and diff cleanly.
  return `---\n${stringify(fm, { lineWidth: 0 })}---\n`;
}

/** YYYY-MM-DD of an ISO timestamp (UTC, as stored); the input unchanged if it is not one. */
export function dateOnly(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})/.exec(iso);
  return m ? m[1]! : iso;
}

/**
 * Tags as Obsidian accepts them: no `#`, no spaces (→ `-`), only letters, digits, `_`, `-`, `/`,
 * and not only digits (Obsidian ignores a tag like `1984`, so it becomes `y1984`).
 */
export function obsidianTags(tags: readonly string[]): string[] {
  const out = tags
    .map((t) =>
      t
        .normalize('NFC')
        .replace(/#/g, '')
        .replace(/\s+/g, '-')
        .replace(/[^\p{L}\p{N}\p{M}_\-/]/gu, '-')
        .replace(/-{2,}/g, '-')
        .replace(/^[-/]+|[-/]+$/g, ''),
    )
    .filter(Boolean)
    .map((t) => (/^\d+$/.test(t) ? `y${t}` : t));
  return [...new Set(out)];
}
