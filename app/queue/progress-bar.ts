/**
 * The `folio add` progress bar: cli-progress on stderr, shown only when stdout is a terminal
 * (piped or --json output stays clean). Result lines still go to stdout: printAbove clears the
 * bar's line, prints, and redraws the bar below.
 */
import cliProgress from 'cli-progress';

export interface AddProgress {
  /** One more job finished. */
  increment(): void;
  setTotal(total: number): void;
  /** Writes a line (newline added) to stdout above the bar. */
  printAbove(line: string): void;
  stop(): void;
}

export function createAddProgress(opts: { enabled: boolean; total: number }): AddProgress {
  if (!opts.enabled) {
    return {
      increment() {},
      setTotal() {},
      printAbove: (line) => void process.stdout.write(line + '\n'),
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: 'Saving [{bar}] {value}/{total}  {eta_formatted} left',
      barsize: 30,
      clearOnComplete: true,
      hideCursor: false,
      etaBuffer: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(opts.total, 0);
  let stopped = false;
  return {
    increment: () => bar.increment(),
    setTotal: (total) => bar.setTotal(total),
    printAbove(line) {
      if (!stopped) process.stderr.write('\r\x1b[2K');
      process.stdout.write(line + '\n');
      if (!stopped) bar.render();
    },
    stop() {
      if (stopped) return;
      stopped = true;
      bar.stop();
    },
  };
}
