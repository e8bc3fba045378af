/**
 * `folio backup PATH`: a consistent copy of the archive, safe while Folio is running (see
 * app/store/backup.ts). Refuses to replace an existing file without --force.
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { FolioError } from '../../core/errors.js';
import { backupArchive } from '../../store/backup.js';
import { resolveArchivePath } from '../../store/default-path.js';
import { addArchiveOption, type ArchiveOptions } from '../archive-option.js';
import { formatBytes } from '../format/index.js';

interface BackupFlags extends ArchiveOptions {
  force?: boolean;
}

export function registerBackupCommand(program: Command): void {
  const cmd = program
    .command('backup')
    .description('Write a consistent copy of the archive to a file (safe while Folio runs)')
    .argument('<path>', 'the backup file to create')
    .option('--force', 'replace the file if it exists');
  addArchiveOption(cmd)
    .addHelpText(
      'after',
      '\nThe copy is one SQLite file (open it with --db, or copy it back in place of the archive).\n' +
        '\nExample:\n  folio backup ~/backups/folio-$(date +%F).db',
    )
    .action((target: string, flags: BackupFlags) => {
      const source = resolveArchivePath(flags.db);
      if (!existsSync(source)) {
        throw new FolioError('FILE_NOT_FOUND', `there is no archive at ${source} to back up; check --db or FOLIO_DB`);
      }
      const result = backupArchive(source, target, { force: flags.force });
      process.stdout.write(
        `Backed up ${source} to ${result.path} (${result.articles} article${result.articles === 1 ? '' : 's'}, ${formatBytes(result.bytes)})\n`,
      );
    });
}
