/**
 * `folio rm <id>... [--purge]`: moves articles to the trash (hidden everywhere, undone with
 * `folio restore`), or with --purge deletes them for good, with the images nothing else uses.
 */
import type { Command } from 'commander';
import type { Archive } from '../../store/archive.js';
import { openArchive } from '../../store/open-archive.js';
import { addArchiveOption, openArchiveFromOptions, type ArchiveOptions } from '../archive-option.js';
import { collectArticleId, requireArticles } from '../format/article-ids.js';

interface RmFlags extends ArchiveOptions {
  purge?: boolean;
}

export function registerRmCommand(program: Command): void {
  const cmd = program
    .command('rm')
    .description('Move articles to the trash (or delete them for good with --purge)')
    .argument('<ids...>', 'article ids (see folio list)', collectArticleId)
    .option('--purge', 'delete for good, with images no other article uses (cannot be undone); also empties these ids from the trash');
  addArchiveOption(cmd)
    .addHelpText('after', '\nExamples:\n  folio rm 42          (folio restore 42 undoes it)\n  folio rm 3 4 --purge')
    .action((ids: number[], flags: RmFlags) => runRm(ids, flags));
}

function runRm(ids: number[], flags: RmFlags): void {
  const archive = openArchiveFromOptions(flags, { mustExist: true });
  try {
    const list = ids.map((id) => `#${id}`).join(', ');
    if (flags.purge) {
      requireArticles(archive, ids, 'any');
      const { articles, images } = purgeArticles(archive, ids);
      process.stdout.write(`Deleted ${list} for good (${articles} article${articles === 1 ? '' : 's'}, ${images} unused image${images === 1 ? '' : 's'} removed)\n`);
      return;
    }
    requireArticles(archive, ids, 'live');
    archive.deleteArticles(ids);
    process.stdout.write(`Moved ${list} to the trash (folio restore ${ids.join(' ')} brings ${ids.length === 1 ? 'it' : 'them'} back)\n`);
  } finally {
    archive.close();
  }
}

/** Far before any real deletion date: marks the articles this purge is about. */
const PURGE_MARK = new Date(0);
const PURGE_CUTOFF = new Date(1).toISOString();

/**
 * Deletes exactly these articles for good. The store's purge takes "everything trashed before
 * a date", so the articles are (re-)trashed through a second connection whose clock reads
 * 1970, then everything trashed before 1970-01-01T00:00:00.001Z is purged: only them, never
 * what the user trashed earlier. If interrupted half-way they are left in the trash, which
 * is safe. (A per-id purge in the store would make this one transaction; see the report.)
 */
function purgeArticles(archive: Archive, ids: readonly number[]): { articles: number; images: number } {
  const marker = openArchive(archive.path, { now: () => PURGE_MARK });
  try {
    // Already-trashed ones carry their real deletion date: restore, then trash with the mark.
    marker.restoreArticles(ids);
    marker.deleteArticles(ids);
    return marker.purgeDeleted(PURGE_CUTOFF);
  } finally {
    marker.close();
  }
}
