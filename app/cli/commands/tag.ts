/**
 * `folio tag <id> <tag>...`: adds tags to one article (tags are normalised: lower-case, single
 * spaces) and prints the article's tags afterwards.
 */
import type { Command } from 'commander';
import { FolioError } from '../../core/errors.js';
import { normalizeTags } from '../../core/query/tags.js';
import type { Archive } from '../../store/archive.js';
import { addArchiveOption, openArchiveFromOptions, type ArchiveOptions } from '../archive-option.js';
import { parseArticleId, requireArticles } from '../format/article-ids.js';

export function registerTagCommand(program: Command): void {
  const cmd = program
    .command('tag')
    .description('Add tags to an article')
    .argument('<id>', 'article id (see folio list)', parseArticleId)
    .argument('<tags...>', 'one or more tags (quote a tag with spaces)');
  addArchiveOption(cmd)
    .addHelpText('after', '\nExamples:\n  folio tag 42 rust databases\n  folio tag 42 "to read"')
    .action((id: number, tags: string[], flags: ArchiveOptions) => changeTags('add', id, tags, flags));
}

/** Shared with `untag`: checks the id and the tags, changes them, prints the result. */
export function changeTags(how: 'add' | 'remove', id: number, tags: readonly string[], flags: ArchiveOptions): void {
  const wanted = normalizeTags(tags);
  if (wanted.length === 0) {
    throw new FolioError('INVALID_INPUT', `no usable tag in ${JSON.stringify(tags)} (tags need a visible character); nothing was changed`);
  }
  const archive = openArchiveFromOptions(flags, { mustExist: true });
  try {
    requireArticles(archive, [id], 'live');
    const before = tagsOf(archive, id);
    if (how === 'add') archive.addTags([id], wanted);
    else archive.removeTags([id], wanted);
    const after = tagsOf(archive, id);
    const changed = how === 'add' ? after.filter((t) => !before.includes(t)) : before.filter((t) => !after.includes(t));
    const verb = how === 'add' ? 'added' : 'removed';
    const summary = changed.length > 0 ? `${verb} ${changed.join(', ')}` : `nothing ${verb}`;
    process.stdout.write(`#${id}: ${summary}; tags now: ${after.length > 0 ? after.join(', ') : '(none)'}\n`);
  } finally {
    archive.close();
  }
}

function tagsOf(archive: Archive, id: number): string[] {
  return archive.getArticle(id)?.tags ?? [];
}
