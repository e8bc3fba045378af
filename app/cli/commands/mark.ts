/**
 * `folio mark <id>... <state>`: sets or clears read / archived / favorite on one or more
 * articles (the last argument is the state).
 */
import type { Command } from 'commander';
import { FolioError } from '../../core/errors.js';
import type { ArticleFlags } from '../../core/article.js';
import { addArchiveOption, openArchiveFromOptions, type ArchiveOptions } from '../archive-option.js';
import { articleIdOrThrow, requireArticles } from '../format/article-ids.js';

/** Each state word and the flag change it means. */
export const MARK_STATES: Record<string, Partial<ArticleFlags>> = {
  read: { read: true },
  unread: { read: false },
  archived: { archived: true },
  unarchived: { archived: false },
  favorite: { favorite: true },
  unfavorite: { favorite: false },
};

export function registerMarkCommand(program: Command): void {
  const cmd = program
    .command('mark')
    .description('Mark articles read, unread, archived, unarchived, favorite or unfavorite')
    .argument('<ids-and-state...>', `article ids, then the state: ${Object.keys(MARK_STATES).join('|')}`);
  addArchiveOption(cmd)
    .addHelpText('after', '\nExamples:\n  folio mark 42 read\n  folio mark 3 4 5 archived')
    .action((args: string[], flags: ArchiveOptions) => runMark(args, flags));
}

function runMark(args: string[], flags: ArchiveOptions): void {
  const { ids, state } = parseMarkArgs(args);
  const archive = openArchiveFromOptions(flags, { mustExist: true });
  try {
    requireArticles(archive, ids, 'live');
    archive.setFlags(ids, MARK_STATES[state]!);
    process.stdout.write(`Marked ${ids.map((id) => `#${id}`).join(', ')} ${state}\n`);
  } finally {
    archive.close();
  }
}

/** Splits `<id>... <state>`; errors name what is wrong. */
export function parseMarkArgs(args: readonly string[]): { ids: number[]; state: string } {
  const state = (args[args.length - 1] ?? '').toLowerCase();
  if (!(state in MARK_STATES)) {
    throw new FolioError(
      'INVALID_INPUT',
      `the last argument must be the state (${Object.keys(MARK_STATES).join('|')}), got "${args[args.length - 1] ?? ''}"`,
    );
  }
  if (args.length < 2) throw new FolioError('INVALID_INPUT', `give at least one article id before "${state}"`);
  const ids = [...new Set(args.slice(0, -1).map(articleIdOrThrow))];
  return { ids, state };
}
