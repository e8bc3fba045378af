/**
 * `folio search <query...>`: full-text search with Folio's query language (the words are joined
 * into one query). Human output: each hit's title line and its snippet, matches in bold on a
 * terminal or as **Markdown bold** elsewhere. --json: one record per hit (JSONL).
 */
import type { Command } from 'commander';
import type { SearchHit } from '../../core/article.js';
import { addArchiveOption, openArchiveFromOptions, type ArchiveOptions } from '../archive-option.js';
import {
  formatDay,
  searchRecord,
  siteOf,
  snippetToAnsi,
  snippetToMarkdown,
  TERMINAL_WIDTH,
  truncate,
  useColor,
  wrap,
  writeJsonLine,
} from '../format/index.js';
import { nonNegativeInt, positiveInt } from '../format/numbers.js';

interface SearchFlags extends ArchiveOptions {
  limit: number;
  offset: number;
  json?: boolean;
}

export function registerSearchCommand(program: Command): void {
  const cmd = program
    .command('search')
    .description('Search saved articles (words, "phrases", prefix*, -exclude, tag:, site:, is:, before:/after:)')
    .argument('<query...>', 'the query; several words are joined with spaces')
    .option('--limit <n>', 'how many results to show (at most 200)', positiveInt('--limit'), 20)
    .option('--offset <n>', 'skip this many results first (paging)', nonNegativeInt('--offset'), 0)
    .option('--json', 'one JSON object per result per line (JSONL)');
  addArchiveOption(cmd)
    .addHelpText(
      'after',
      '\nMatches are shown in bold on a terminal, and as **bold** (Markdown) when the output is\n' +
        'piped, when NO_COLOR is set, and in --json snippets (where a literal * is written \\*).\n' +
        '\nExamples:\n  folio search climate energy\n  folio search \'"reading list" tag:books -draft\' --json',
    )
    .action((words: string[], flags: SearchFlags) => runSearch(words, flags));
}

function runSearch(words: string[], flags: SearchFlags): void {
  const query = words.join(' ');
  const archive = openArchiveFromOptions(flags, { mustExist: true });
  try {
    const page = archive.search(query, { limit: flags.limit, offset: flags.offset });
    for (const warning of page.query.warnings) process.stderr.write(`folio: note: ${warning}\n`);
    if (page.sortReason === 'common-words') process.stderr.write(`folio: note: ${COMMON_WORDS_NOTE}\n`);
    if (flags.json) {
      for (const hit of page.items) writeJsonLine(searchRecord(hit));
      return;
    }
    const lines = searchReport(query, page.items, page.total, page.offset, useColor(process.stdout));
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    archive.close();
  }
}

/** Why a search came out newest first (SearchOrder.sortReason), said once on stderr. */
export const COMMON_WORDS_NOTE = 'ordered by date: every word searched for appears in most articles (sort:relevance ranks them anyway)';

/** The human report: per hit a title line and an indented snippet, then "N results". */
export function searchReport(query: string, hits: readonly SearchHit[], total: number, offset: number, color: boolean): string[] {
  if (hits.length === 0) {
    const shown = truncate(query, TERMINAL_WIDTH - 20);
    return [total > 0 ? `No results at offset ${offset} for "${shown}" (there are ${total}).` : `No results for "${shown}".`];
  }
  const lines: string[] = [];
  for (const hit of hits) {
    lines.push(hitTitleLine(hit));
    if (hit.snippet.trim() !== '') lines.push(...snippetLines(hit.snippet, color));
    lines.push('');
  }
  const count = `${total} result${total === 1 ? '' : 's'}`;
  lines.push(hits.length === total ? count : `${count} (showing ${offset + 1}–${offset + hits.length}; use --offset for more)`);
  return lines;
}

function hitTitleLine(hit: SearchHit): string {
  const id = `#${hit.id}  `;
  const meta = `  (${[siteOf(hit), formatDay(hit.savedAt)].filter(Boolean).join(', ')})`;
  const titleRoom = TERMINAL_WIDTH - id.length - meta.length;
  if (titleRoom >= 20) return id + truncate(hit.title || hit.url, titleRoom) + meta;
  return truncate(id + (hit.title || hit.url), TERMINAL_WIDTH);
}

const SNIPPET_INDENT = '    ';

/**
 * Wrapped to the terminal width. For colour, the wrap runs on the marked text (each marker
 * counted as one column, so lines can only come out shorter) and bold is applied afterwards,
 * so an escape sequence is never measured or split; a match may span a line break.
 */
function snippetLines(snippet: string, color: boolean): string[] {
  if (color) return snippetToAnsi(wrap(snippet, TERMINAL_WIDTH, SNIPPET_INDENT).join('\n')).split('\n');
  return wrap(snippetToMarkdown(snippet), TERMINAL_WIDTH, SNIPPET_INDENT);
}
