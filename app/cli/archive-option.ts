/**
 * The `--db PATH` option every archive command takes, and opening the archive it names:
 * --db, else $FOLIO_DB, else the per-user archive (the desktop app's, see
 * app/store/default-path.ts). One place, so every command resolves the same file the same way.
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { FolioError } from '../core/errors.js';
import type { Archive } from '../store/archive.js';
import { resolveArchivePath } from '../store/default-path.js';
import { openArchive } from '../store/open-archive.js';

/** The parsed flag, for a command's flags interface to extend. */
export interface ArchiveOptions {
  db?: string;
}

export const DB_OPTION_HELP = 'archive file (default: $FOLIO_DB, else the per-user Folio archive)';

/** Adds `--db <path>` to a command; returns it for chaining. */
export function addArchiveOption(command: Command): Command {
  return command.option('--db <path>', DB_OPTION_HELP);
}

/** The absolute archive path for the parsed flags (creates its folder if missing). */
export function archivePathFrom(flags: ArchiveOptions): string {
  return resolveArchivePath(flags.db);
}

/**
 * Opens the archive the flags name. `mustExist`: commands that only read or change what is
 * there (list, show, tag…) refuse to create an empty archive at a mistyped path.
 */
export function openArchiveFromOptions(flags: ArchiveOptions, opts: { mustExist?: boolean; readonly?: boolean } = {}): Archive {
  const file = archivePathFrom(flags);
  if (opts.mustExist && !existsSync(file)) {
    throw new FolioError(
      'FILE_NOT_FOUND',
      `there is no archive at ${file}; check --db or FOLIO_DB, or save an article first with folio add`,
    );
  }
  return openArchive(file, { readonly: opts.readonly });
}

/** Opens the archive, runs `fn`, and closes the archive whatever happens. */
export async function withArchive<T>(flags: ArchiveOptions, fn: (archive: Archive) => Promise<T>): Promise<T> {
  const archive = openArchiveFromOptions(flags);
  try {
    return await fn(archive);
  } finally {
    archive.close();
  }
}
