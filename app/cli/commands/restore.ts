/** `folio restore <id>...`: takes articles out of the trash (undoes `folio rm` without --purge). */
import type { Command } from 'commander';
import { addArchiveOption, openArchiveFromOptions, type ArchiveOptions } from '../archive-option.js';
import { collectArticleId, requireArticles } from '../format/article-ids.js';

export function registerRestoreCommand(program: Command): void {
  const cmd = program
    .command('restore')
    .description('Take articles out of the trash')
    .argument('<ids...>', 'ids of trashed articles', collectArticleId);
  addArchiveOption(cmd)
    .addHelpText('after', '\nExample:\n  folio restore 42')
    .action((ids: number[], flags: ArchiveOptions) => {
      const archive = openArchiveFromOptions(flags, { mustExist: true });
      try {
        requireArticles(archive, ids, 'trashed');
        archive.restoreArticles(ids);
        process.stdout.write(`Restored ${ids.map((id) => `#${id}`).join(', ')}\n`);
      } finally {
        archive.close();
      }
    });
}
