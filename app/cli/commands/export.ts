/**
 * `folio export --format F --out PATH [--query Q | --tag T | --ids 1,2,3]`: writes the chosen
 * articles (all by default) as Markdown, offline HTML, EPUB, a JSON backup or citations
 * (app/export). The output appears at PATH only once complete. Progress on stderr when it is a
 * terminal; `--json` prints one result object on stdout.
 */
import { existsSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { FolioError } from '../../core/errors.js';
import { addArchiveOption } from '../archive-option.js';

const FORMATS = ['markdown', 'html', 'epub', 'json', 'bibtex', 'csl-json'] as const;

interface ExportFlags {
  db?: string;
  format: (typeof FORMATS)[number];
  out: string;
  query?: string;
  tag?: string;
  ids?: number[];
  force?: boolean;
  title?: string;
  json?: boolean;
}

export function registerExportCommand(program: Command): void {
  const cmd = program
    .command('export')
    .description('Export articles as Markdown, offline HTML, EPUB, a JSON backup, BibTeX or CSL-JSON')
    .addOption(new Option('--format <format>', 'output format').choices(FORMATS).makeOptionMandatory())
    .requiredOption('--out <path>', 'file or folder to create (markdown/html/json: a path ending in .zip writes a zip)')
    .option('--query <query>', 'only articles matching this search (all results, not only the first page)')
    .option('--tag <tag>', 'only articles with this tag')
    .option('--ids <ids>', 'only these article ids, comma-separated', parseIds)
    .option('--title <title>', 'book title (epub)')
    .option('--force', 'replace PATH if it exists')
    .option('--json', 'print the result as one JSON object');
  addArchiveOption(cmd)
    .addHelpText(
      'after',
      '\nWithout --query, --tag or --ids every article is exported (trashed ones never are).\n' +
        '\nExamples:\n' +
        '  folio export --format markdown --out ~/Notes/Folio\n' +
        '  folio export --format epub --tag longreads --out longreads.epub\n' +
        '  folio export --format json --out backup.zip\n' +
        '  folio export --format bibtex --query "climate is:favorite" --out refs.bib',
    )
    .action(async (flags: ExportFlags) => runExport(flags));
}

function parseIds(value: string): number[] {
  const ids = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (ids.length === 0 || ids.some((s) => !/^\d+$/.test(s) || Number(s) < 1 || !Number.isSafeInteger(Number(s)))) {
    throw new InvalidArgumentError(`"${value}" is not a list of article ids; write them like 1,2,3`);
  }
  return ids.map(Number);
}

async function runExport(flags: ExportFlags): Promise<void> {
  // Loaded on use: jsdom, turndown and SQLite would slow every other command's start-up.
  const { exportArticles } = await import('../../export/index.js');
  const { openArchive, resolveArchivePath } = await import('../../store/index.js');
  const file = resolveArchivePath(flags.db);
  // Exporting never creates an archive: a mistyped --db must not export an empty new one.
  if (!existsSync(file)) throw new FolioError('FILE_NOT_FOUND', `there is no archive at ${file}; check --db or FOLIO_DB`);
  const archive = openArchive(file);
  const progress = process.stderr.isTTY && !flags.json ? await progressBar() : null;
  try {
    const result = await exportArticles(archive, {
      format: flags.format,
      out: flags.out,
      query: flags.query,
      tag: flags.tag,
      ids: flags.ids,
      overwrite: flags.force,
      title: flags.title,
      onProgress: progress?.update,
    });
    progress?.stop();
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
    } else {
      const images = result.images > 0 ? ` and ${result.images} image${result.images === 1 ? '' : 's'}` : '';
      process.stdout.write(`Exported ${result.articles} article${result.articles === 1 ? '' : 's'}${images} as ${result.format} to ${result.path}\n`);
    }
  } catch (err) {
    progress?.stop();
    if (err instanceof FolioError) throw err;
    throw new FolioError('INTERNAL', `Export to ${flags.out} failed: ${err instanceof Error ? err.message : String(err)}; nothing was written there.`, {
      cause: err,
    });
  } finally {
    archive.close();
  }
}

async function progressBar(): Promise<{ update: (done: number, total: number) => void; stop: () => void }> {
  const { default: cliProgress } = await import('cli-progress');
  const bar = new cliProgress.SingleBar({ stream: process.stderr, format: 'Exporting [{bar}] {value}/{total} articles', hideCursor: true }, cliProgress.Presets.shades_classic);
  let started = false;
  return {
    update: (done, total) => {
      if (!started) {
        bar.start(total, done);
        started = true;
      } else bar.update(done);
    },
    stop: () => {
      if (started) bar.stop();
      started = false;
    },
  };
}
