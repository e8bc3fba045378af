/**
 * `folio list`: the archive's articles, newest first, as an 80-column table or JSONL.
 */
import { Command, Option } from 'commander';
import type { ArticleSummary, ListRequest } from '../../core/article.js';
import { addArchiveOption, openArchiveFromOptions, type ArchiveOptions } from '../archive-option.js';
import { nonNegativeInt, positiveInt } from '../format/numbers.js';
import { articleRecord, flagLetters, formatDay, renderTable, siteOf, writeJsonLine, type TableColumn } from '../format/index.js';

const STATES = ['unread', 'read', 'archived', 'favorite', 'all'] as const;
const SORTS = ['saved', 'published', 'title'] as const;

interface ListFlags extends ArchiveOptions {
  tag?: string;
  state: (typeof STATES)[number];
  site?: string;
  sort: (typeof SORTS)[number];
  limit: number;
  offset: number;
  json?: boolean;
}

export function registerListCommand(program: Command): void {
  const cmd = program
    .command('list')
    .description('List saved articles (newest first)')
    .option('--tag <tag>', 'only articles with this tag')
    .addOption(new Option('--state <state>', 'only articles in this state').choices(STATES).default('all'))
    .option('--site <site>', 'only articles from this site (host, sub-domain or site name)')
    .addOption(new Option('--sort <order>', 'sort by saved date, published date (newest first) or title (A–Z)').choices(SORTS).default('saved'))
    .option('--limit <n>', 'how many articles to show (at most 500)', positiveInt('--limit'), 50)
    .option('--offset <n>', 'skip this many articles first (paging)', nonNegativeInt('--offset'), 0)
    .option('--json', 'one JSON object per article per line (JSONL)');
  addArchiveOption(cmd)
    .addHelpText(
      'after',
      '\nFlags column: R read, A archived, F favorite, B bookmark (not captured yet).\n' +
        '\nExamples:\n  folio list --state unread --limit 10\n  folio list --tag rust --json',
    )
    .action((flags: ListFlags) => runList(flags));
}

function runList(flags: ListFlags): void {
  const archive = openArchiveFromOptions(flags, { mustExist: true });
  try {
    const req: ListRequest = { state: flags.state, sort: flags.sort, limit: flags.limit, offset: flags.offset };
    if (flags.tag) req.tag = flags.tag;
    if (flags.site) req.site = flags.site;
    const page = archive.listArticles(req);
    if (flags.json) {
      for (const a of page.items) writeJsonLine(articleRecord(a));
      return;
    }
    process.stdout.write(listTable(page.items, page.total, page.offset).join('\n') + '\n');
  } finally {
    archive.close();
  }
}

const COLUMNS: TableColumn<ArticleSummary>[] = [
  { header: 'ID', cell: (a) => String(a.id), align: 'right' },
  { header: 'SAVED', cell: (a) => formatDay(a.savedAt) },
  { header: 'TITLE', cell: (a) => a.title || a.url, flex: true },
  { header: 'SITE', cell: (a) => siteOf(a), max: 18 },
  { header: 'MIN', cell: (a) => (a.status === 'bookmark' ? '' : String(a.readingMinutes)), align: 'right' },
  { header: 'FLAGS', cell: (a) => flagLetters(a) },
];

/** The human table plus a footer saying which slice of how many is shown. */
export function listTable(items: readonly ArticleSummary[], total: number, offset: number): string[] {
  if (items.length === 0) return [total > 0 ? `No articles at offset ${offset} (there are ${total}).` : 'No articles.'];
  const footer =
    items.length === total ? `${total} article${total === 1 ? '' : 's'}` : `${offset + 1}–${offset + items.length} of ${total} articles`;
  return [...renderTable(COLUMNS, items), '', footer];
}
