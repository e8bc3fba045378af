/**
 * `folio import FILE`: brings in what people migrate from — browser bookmarks, Pocket, Instapaper,
 * Omnivore, wallabag, Readeck, lists of links, Folio backups — keeping saved dates, tags and
 * states. URL items are captured through the durable capture queue (an interrupted import resumes
 * when run again); --no-fetch stores them as bookmarks instead (`folio refresh ID` captures one
 * later). Exports that carry the articles (Omnivore, wallabag, Readeck, Folio backups) are saved
 * offline without fetching. Nothing already in the archive is changed.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import cliProgress from 'cli-progress';
import { FolioError } from '../../core/errors.js';
import type { ImportSummary } from '../../import/import-run.js';
import type { ItemReport } from '../../import/import-items.js';
import { IMPORT_FORMATS, MAX_IMPORT_BYTES, type ImportFormat } from '../../import/formats.js';
import { addArchiveOption } from '../archive-option.js';
import { writeJsonLine } from '../format/index.js';

interface ImportFlags {
  db?: string;
  format: ImportFormat | 'auto';
  fetch: boolean;
  tag: string[];
  json?: boolean;
}

export function registerImportCommand(program: Command): void {
  const cmd = program
    .command('import')
    .description('Import bookmarks and read-later exports (browsers, Pocket, Instapaper, Omnivore, wallabag, Readeck, URL lists, Folio backups)')
    .argument('<file>', 'the export file (or an unpacked Omnivore/Readeck export folder)')
    .addOption(
      new Option('--format <format>', 'the export format; auto detects it from the content')
        .choices(['auto', ...IMPORT_FORMATS])
        .default('auto'),
    )
    .option('--no-fetch', 'store links as bookmarks without capturing them (capture one later with folio refresh ID)')
    .option('--tag <tag>', 'add this tag to every imported item (repeatable)', (v: string, acc: string[]) => {
      if (!v.trim()) throw new InvalidArgumentError('a tag cannot be empty');
      return [...acc, v];
    }, [] as string[])
    .option('--json', 'one JSON object per item per line {line?, url, status, id?, error?}, then a summary object');
  addArchiveOption(cmd)
    .addHelpText(
      'after',
      `\nFiles up to ${MAX_IMPORT_BYTES / 1024 / 1024} MB. Saved dates, tags and read/archived/favourite states are kept;\n` +
        'items already in the archive are skipped (running an import again is safe and resumes it).\n' +
        '\nExamples:\n  folio import bookmarks.html --no-fetch\n  folio import pocket-export.zip --tag pocket\n  folio import omnivore-export/ --json',
    )
    .action((file: string, flags: ImportFlags) => runImport(file, flags));
}

async function runImport(file: string, flags: ImportFlags): Promise<void> {
  // Loaded here, not at the top: extraction (jsdom) and the queue are heavy, and every other
  // command would pay for them at start-up.
  const [{ importFile }, { captureOptionsFromSettings }, { resolveArchivePath }, { openArchive }, { lazyExtractPool }] = await Promise.all([
    import('../../import/import-run.js'),
    import('../../queue/capture-settings.js'),
    import('../../store/default-path.js'),
    import('../../store/open-archive.js'),
    import('../../capture/extract-pool.js'),
  ]);
  // A long import saves page after page: its WAL checkpoints run on a thread of their own.
  const archive = openArchive(resolveArchivePath(flags.db), { backgroundCheckpoints: true });
  const bar = !flags.json && process.stderr.isTTY ? new cliProgress.SingleBar({ format: 'importing {bar} {value}/{total} items', stream: process.stderr, hideCursor: true }, cliProgress.Presets.shades_classic) : null;
  let summary: ImportSummary;
  // Pages a fetching import captures are cleaned in extraction processes, started on first use (an
  // import of bookmarks or of exports with content never needs them).
  const extractPool = lazyExtractPool();
  try {
    bar?.start(0, 0);
    summary = await importFile(archive, file, {
      format: flags.format,
      fetch: flags.fetch,
      tags: flags.tag,
      extractPool,
      captureOptions: () => captureOptionsFromSettings(archive.getSettings()),
      onItem: flags.json ? (r) => writeJsonLine(r) : (r) => reportFailure(r, bar !== null),
      onProgress: ({ read, settled }) => {
        bar?.setTotal(read);
        bar?.update(settled);
      },
    });
  } finally {
    bar?.stop();
    archive.close();
    await extractPool.close();
  }
  if (flags.json) writeJsonLine({ summary: true, ...summary });
  else process.stdout.write(describe(summary) + '\n');
  if (summary.error) throw new FolioError(summary.error.code as FolioError['code'], summary.error.message);
  if (summary.failed > 0) process.exitCode = 1;
}

function reportFailure(r: ItemReport, quiet: boolean): void {
  if (quiet || (r.status !== 'failed' && r.status !== 'skipped')) return;
  process.stderr.write(`folio: ${r.line === undefined ? '' : `line ${r.line}: `}${r.url}: ${r.error ?? r.status}\n`);
}

function describe(s: ImportSummary): string {
  const parts = [
    `${s.saved} saved`,
    `${s.bookmarked} bookmarked`,
    `${s.duplicate} already in the archive`,
    ...(s.skipped ? [`${s.skipped} skipped`] : []),
    ...(s.failed ? [`${s.failed} failed`] : []),
  ];
  const rate = s.seconds > 0 ? ` (${Math.round(s.items / s.seconds)} items/s)` : '';
  return `Imported ${s.items} items from ${s.file} as ${s.format}: ${parts.join(', ')}${rate}.`;
}
