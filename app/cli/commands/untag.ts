/** `folio untag <id> <tag>...`: removes tags from one article. */
import type { Command } from 'commander';
import { addArchiveOption, type ArchiveOptions } from '../archive-option.js';
import { parseArticleId } from '../format/article-ids.js';
import { changeTags } from './tag.js';

export function registerUntagCommand(program: Command): void {
  const cmd = program
    .command('untag')
    .description('Remove tags from an article')
    .argument('<id>', 'article id (see folio list)', parseArticleId)
    .argument('<tags...>', 'one or more tags to remove');
  addArchiveOption(cmd)
    .addHelpText('after', '\nExample:\n  folio untag 42 "to read"')
    .action((id: number, tags: string[], flags: ArchiveOptions) => changeTags('remove', id, tags, flags));
}
