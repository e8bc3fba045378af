/**
 * `folio show <id|url>`: one article, as wrapped text (default), Markdown, the stored HTML, or
 * the full ArticleDetail as JSON.
 */
import { Command, Option } from 'commander';
import type { ArticleDetail } from '../../core/article.js';
import { addArchiveOption, openArchiveFromOptions, type ArchiveOptions } from '../archive-option.js';
import { findArticle } from '../format/article-ids.js';
import { formatDay, siteOf, TERMINAL_WIDTH, wrap } from '../format/index.js';

const FORMATS = ['text', 'md', 'html', 'json'] as const;

interface ShowFlags extends ArchiveOptions {
  format: (typeof FORMATS)[number];
}

export function registerShowCommand(program: Command): void {
  const cmd = program
    .command('show')
    .description('Print one saved article')
    .argument('<id|url>', 'the article id (see folio list) or its URL')
    .addOption(new Option('--format <format>', 'text (wrapped to 80 columns), md (Markdown), html (as stored) or json').choices(FORMATS).default('text'));
  addArchiveOption(cmd)
    .addHelpText(
      'after',
      '\nImages are referenced as folio-asset:<sha256> (the stored copy) in md and html.\n' +
        '\nExamples:\n  folio show 42\n  folio show https://example.com/post --format md > post.md',
    )
    .action((idOrUrl: string, flags: ShowFlags) => runShow(idOrUrl, flags));
}

async function runShow(idOrUrl: string, flags: ShowFlags): Promise<void> {
  const archive = openArchiveFromOptions(flags, { mustExist: true });
  let article: ArticleDetail;
  try {
    article = findArticle(archive, idOrUrl);
  } finally {
    archive.close();
  }
  switch (flags.format) {
    case 'json':
      process.stdout.write(JSON.stringify(article) + '\n');
      return;
    case 'html':
      process.stdout.write(article.html.endsWith('\n') ? article.html : article.html + '\n');
      return;
    case 'md': {
      // Loaded on use: turndown and its DOM are only needed here.
      const { articleMarkdown } = await import('../format/markdown.js');
      process.stdout.write(articleMarkdown(article));
      return;
    }
    default:
      process.stdout.write(articleText(article));
  }
}

/** Header (title, byline, site, dates, URL, tags, flags) and the body wrapped to 80 columns. */
export function articleText(a: ArticleDetail): string {
  const states = [a.read ? 'read' : 'unread', a.archived && 'archived', a.favorite && 'favorite', a.status === 'bookmark' && 'bookmark (not captured yet)']
    .filter(Boolean)
    .join(', ');
  const fields: [string, string | null][] = [
    ['Title', a.title || a.url],
    ['By', a.byline],
    ['Site', siteOf(a)],
    ['Date', a.publishedTime ? formatDay(a.publishedTime) : null],
    ['Saved', formatDay(a.savedAt)],
    ['URL', a.finalUrl || a.url],
    ['Tags', a.tags.length > 0 ? a.tags.join(', ') : null],
    ['State', states],
    ['Length', a.status === 'bookmark' ? null : `${a.wordCount} words, ${a.readingMinutes} min`],
  ];
  const lines: string[] = [`#${a.id}`];
  for (const [name, value] of fields) {
    if (value) lines.push(...wrap(value, TERMINAL_WIDTH, `${name}:`.padEnd(8)));
  }
  lines.push('');
  for (const paragraph of a.text.split('\n')) {
    lines.push(...(paragraph.trim() === '' ? [''] : wrap(paragraph.trim(), TERMINAL_WIDTH, '')));
  }
  return lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}
