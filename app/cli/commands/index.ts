import type { Command } from 'commander';

/** One line per command; each command file owns its options, help text and output. */
export function registerCommands(program: Command): void {
  void program;
}
