import type { Command } from 'commander';
import { registerAddCommand } from './add.js';
import { registerExtractCommand } from './extract.js';
import { registerServeCommand } from './serve.js';
import { registerListCommand } from './list.js';
import { registerSearchCommand } from './search.js';
import { registerShowCommand } from './show.js';
import { registerTagCommand } from './tag.js';
import { registerUntagCommand } from './untag.js';
import { registerMarkCommand } from './mark.js';
import { registerRmCommand } from './rm.js';
import { registerRestoreCommand } from './restore.js';
import { registerRefreshCommand } from './refresh.js';
import { registerStatsCommand } from './stats.js';
import { registerBackupCommand } from './backup.js';
import { registerImportCommand } from './import.js';
import { registerExportCommand } from './export.js';

/** One line per command; each command file owns its options, help text and output. */
export function registerCommands(program: Command): void {
  void program;
  registerAddCommand(program);
  registerExtractCommand(program);
  registerServeCommand(program);
  registerListCommand(program);
  registerSearchCommand(program);
  registerShowCommand(program);
  registerTagCommand(program);
  registerUntagCommand(program);
  registerMarkCommand(program);
  registerRmCommand(program);
  registerRestoreCommand(program);
  registerRefreshCommand(program);
  registerStatsCommand(program);
  registerBackupCommand(program);
  registerImportCommand(program);
  registerExportCommand(program);
}
