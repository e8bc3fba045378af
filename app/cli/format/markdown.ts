/**
 * Article HTML → Markdown for `folio show --format md`: turndown with the GitHub-flavoured
 * plugin (tables, strikethrough, task lists), ATX headings and fenced code. Images keep their
 * `folio-asset:<sha256>` address and alt text: the Markdown refers to the archive's copy.
 */
import { createRequire } from 'node:module';
import TurndownService from 'turndown';
import type { ArticleDetail } from '../../core/article.js';

// The plugin ships CommonJS without type declarations; this is its whole public surface.
const require = createRequire(import.meta.url);
const { gfm } = require('@joplin/turndown-plugin-gfm') as { gfm: TurndownService.Plugin };

let service: TurndownService | null = null;

function turndown(): TurndownService {
  if (service) return service;
  service = new TurndownService({
    headingStyle: 'atx',
    codeBlockStyle: 'fenced',
    bulletListMarker: '-',
    emDelimiter: '_',
    hr: '---',
  });
  service.use(gfm);
  return service;
}

export function htmlToMarkdown(html: string): string {
  return turndown().turndown(html).trim();
}

/** The article as one Markdown document: the title as `# heading`, then the body. No front matter. */
export function articleMarkdown(article: Pick<ArticleDetail, 'title' | 'html' | 'text'>): string {
  const title = article.title.replace(/\s+/g, ' ').trim();
  // Bookmarks have no HTML yet; their text (often empty) is all there is.
  const body = article.html.trim() !== '' ? htmlToMarkdown(article.html) : article.text.trim();
  // A body that already opens with the same heading would show the title twice.
  const withoutRepeat = body.replace(new RegExp(`^#{1,2} ${escapeRegExp(title)}\\s*\\n`), '').trim();
  return `# ${title}\n\n${withoutRepeat}\n`.replace(/\n{3,}/g, '\n\n');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
