import { Command, CommanderError } from 'commander';
import { asFolioError } from '../core/errors.js';
import { registerCommands } from './commands/index.js';

/**
 * Builds the `folio` program. Each command lives in its own file under commands/ and
 * registers itself; this file only owns the shared behaviour: help, exit codes, and
 * turning any failure into one line on stderr.
 */
export function buildProgram(): Command {
  const program = new Command();
  program
    .name('folio')
    .description('Folio: save web articles for offline reading, search and export.')
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .exitOverride();
  registerCommands(program);
  return program;
}

const VERSION = '0.1.0';

/** Runs the CLI and resolves to the process exit code (0 success, 1 failure, 2 usage). */
export async function main(argv: string[]): Promise<number> {
  // `folio list --json | head`: the reader went away, which is success, not a crash.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version "fail" with exit code 0 by design.
      return err.exitCode === 0 ? 0 : 2;
    }
    const e = asFolioError(err);
    process.stderr.write(`folio: ${e.message.split('\n')[0]}\n`);
    return 1;
  }
}
