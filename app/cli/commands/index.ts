import type { Command } from 'commander';
import { registerExtractCommand } from './extract.js';
import { registerServeCommand } from './serve.js';

/** One line per command; each command file owns its options, help text and output. */
export function registerCommands(program: Command): void {
  void program;
  registerExtractCommand(program);
  registerServeCommand(program);
}
