/**
 * `folio add <url|file>... [--tag T]... [--render MODE] [--json] [--refresh] [--resume]
 * [--concurrency N] [--db PATH]`: captures pages into the archive through the durable queue
 * (app/queue/runner.ts). Whatever an earlier, interrupted run left queued is finished first.
 * One result per input, in input order (JSONL with --json); exit 1 if any input failed.
 */
import path from 'node:path';
import { availableParallelism, homedir } from 'node:os';
import { Command } from 'commander';
import { cliParser } from '../format/cli-parser.js';
import { createEventBus } from '../../api/events.js';
import { parsePositiveInteger, parseRenderMode, RENDER_MODES } from '../../capture/capture-options.js';
import type { QueueItem } from '../../core/contract.js';
import { FolioError } from '../../core/errors.js';
import type { RenderMode } from '../../core/types.js';
import { tryNormalizeUrl } from '../../core/url-normalize.js';
import { createAddProgress } from '../../queue/progress-bar.js';
import { humanLine, jsonLine, type AddResult } from '../../queue/result-line.js';
import { addArchiveOption, openArchiveFromOptions, type ArchiveOptions } from '../archive-option.js';

interface AddFlags extends ArchiveOptions {
  tag: string[];
  render?: RenderMode;
  json?: boolean;
  refresh?: boolean;
  resume?: boolean;
  concurrency: number;
}

/** Saved pages folio add reads as pages; any other file (a list of URLs…) is refused. */
const PAGE_FILE = /\.(x?html?|mht(ml)?)$/i;

export function registerAddCommand(program: Command): void {
  const cmd = program
    .command('add')
    .description('Save web pages (or saved .html files) into the archive, for offline reading and search')
    .argument('[inputs...]', 'http(s) URLs or paths of saved pages; "-" reads URLs from stdin, one per line')
    .option('--tag <tag>', 'tag the saved articles (repeatable)', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--render <mode>', `render JavaScript pages in Chrome/Chromium: ${RENDER_MODES.join('|')} (default: the setting, auto)`, cliParser(parseRenderMode))
    .option('--json', 'one JSON object per input per line: {input, id, status, url, title, error}')
    .option('--refresh', 're-capture URLs already saved, replacing their content (tags and states are kept)')
    .option('--resume', 'finish what an interrupted run left queued (also done before any new inputs)')
    .option('--concurrency <n>', 'pages captured at once (at most 2 per site)', cliParser((v) => parsePositiveInteger('--concurrency', v)), 4);
  addArchiveOption(cmd)
    .addHelpText(
      'after',
      '\nTo import a file listing URLs (or a bookmarks export), use folio import.\n' +
        '\nExamples:\n  folio add https://example.com/post --tag reading\n  folio add --json ./saved-page.html\n' +
        '  folio add - < urls.txt\n  folio add --resume',
    )
    .action(async (inputs: string[], flags: AddFlags) => runAdd(inputs, flags));
}

/** An input after the first checks: queued as `input`, or refused with `error`. */
type Prepared = { given: string; input: string } | { given: string; error: FolioError };

async function runAdd(args: string[], flags: AddFlags): Promise<void> {
  const given = await expandStdin(args);
  if (given.length === 0 && !flags.resume) {
    throw new FolioError('INVALID_INPUT', 'nothing to add: give URLs or saved pages (or - to read URLs from stdin), or --resume to finish the queue');
  }
  const prepared = given.map(prepareInput);
  const archive = openArchiveFromOptions(flags);
  const events = createEventBus();
  // Loaded on use: the pipeline (jsdom, playwright-core) is heavy for the other commands.
  const [{ createQueueRunner }, { lazyExtractPool }] = await Promise.all([
    import('../../queue/runner.js'),
    import('../../capture/extract-pool.js'),
  ]);
  // Started on the first page to extract (a run of duplicates needs none), one thread per core.
  const extractPool = lazyExtractPool({ processes: Math.min(flags.concurrency, availableParallelism()) });
  const runner = createQueueRunner({
    archive,
    events,
    concurrency: flags.concurrency,
    extractPool,
    captureOptions: flags.render ? { render: flags.render } : {},
  });
  const progress = createAddProgress({ enabled: !flags.json && process.stdout.isTTY === true, total: 0 });
  const print = (r: AddResult) => progress.printAbove(flags.json ? jsonLine(r) : humanLine(r));

  let failed = 0;
  let done = 0;
  const results: (AddResult | null)[] = prepared.map((p) => ('error' in p ? failure(p.given, p.error) : null));
  const jobIdOf: (number | null)[] = prepared.map(() => null);
  const ours = new Set<number>();
  const finished = new Map<number, QueueItem>();
  let printed = 0;
  /** Prints results in input order as soon as the ones before them are known. */
  const flush = () => {
    while (printed < results.length) {
      const jobId = jobIdOf[printed];
      if (results[printed] === null && jobId !== null) {
        const item = finished.get(jobId);
        if (!item) break;
        const firstForJob = jobIdOf.indexOf(jobId) === printed;
        results[printed] = resultOf(prepared[printed]!.given, item, firstForJob, archive);
      }
      const r = results[printed]!;
      if (r.status === 'failed') failed++;
      print(r);
      printed++;
    }
  };

  events.on('queue.progress', ({ item, status }) => {
    if (item.status !== 'saved' && item.status !== 'duplicate' && item.status !== 'failed') return;
    done++;
    progress.setTotal(done + status.pending + status.running);
    progress.increment();
    if (ours.has(item.jobId)) {
      finished.set(item.jobId, item);
      flush();
      return;
    }
    // A job an earlier, interrupted run had queued, finished now.
    const r = resultOf(item.url, item, true, archive);
    r.resumed = true;
    if (r.status === 'failed') failed++;
    print(r);
  });

  let interrupted = false;
  const onSignal = () => {
    if (interrupted) {
      // Second Ctrl-C: leave at once. Every save is one SQLite transaction, so nothing is half-written.
      process.stderr.write('\nfolio: stopped; run folio add --resume to finish the queue\n');
      process.exit(130);
    }
    interrupted = true;
    process.stderr.write('\nfolio: interrupted; stopping the pages being saved (Ctrl-C again to quit now)…\n');
    void runner.stop({ cancelRunning: true });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    // Queued before the runner starts, so the older jobs (lower ids) are claimed first.
    const jobs = runner.enqueue(
      prepared.flatMap((p) => ('error' in p ? [] : [{ input: p.input, options: jobOptions(p.input, flags, archive) }])),
    );
    let j = 0;
    prepared.forEach((p, i) => {
      if ('error' in p) return;
      jobIdOf[i] = jobs[j++]!.jobId;
      ours.add(jobIdOf[i]!);
    });
    const queued = archive.queue.status(1);
    progress.setTotal(queued.pending + queued.running);
    flush();

    await runner.drain();

    // What an interruption left unfinished is reported as still queued, in order.
    for (let i = printed; i < results.length; i++) {
      const jobId = jobIdOf[i];
      if (results[i] !== null || jobId === null || finished.has(jobId)) continue;
      results[i] = {
        input: prepared[i]!.given,
        status: 'pending',
        id: null,
        url: archive.queue.getJob(jobId)?.url ?? prepared[i]!.given,
        error: { code: 'CANCELLED', message: `${prepared[i]!.given}: not saved yet (interrupted); run folio add --resume to finish` },
      };
    }
    progress.stop();
    flush();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await runner.stop({ cancelRunning: true });
    await extractPool.close();
    progress.stop();
    archive.close();
  }
  if (interrupted) process.exitCode = 130;
  else if (failed > 0) process.exitCode = 1;
}

function jobOptions(input: string, flags: AddFlags, archive: import('../../store/archive.js').Archive) {
  const options: { tags?: string[]; render?: RenderMode; refreshArticleId?: number } = {};
  if (flags.tag.length > 0) options.tags = flags.tag;
  if (flags.render) options.render = flags.render;
  if (flags.refresh) {
    const id = archive.findByUrl(input);
    if (id !== null) options.refreshArticleId = id;
  }
  return options;
}

/** The printed result of a finished job (a later input naming the same page is its duplicate). */
function resultOf(given: string, item: QueueItem, firstForJob: boolean, archive: import('../../store/archive.js').Archive): AddResult {
  if (item.status === 'failed') {
    return { input: given, status: 'failed', id: null, url: item.url, error: item.error ?? { code: 'INTERNAL', message: `${given}: failed` } };
  }
  const article = item.articleId !== null ? archive.getArticle(item.articleId, { includeDeleted: true }) : null;
  return {
    input: given,
    status: firstForJob && item.status === 'saved' ? 'saved' : 'duplicate',
    id: item.articleId,
    url: article?.url ?? item.url,
    title: article?.title,
    siteName: article?.siteName ?? null,
  };
}

function failure(given: string, error: FolioError): AddResult {
  return { input: given, status: 'failed', id: null, url: given, error: error.toJSON() };
}

/**
 * A URL stays as given; a page file becomes an absolute path (the queue may be finished later
 * from another folder). Other files are refused: a list of URLs is not a page.
 */
function prepareInput(given: string): Prepared {
  const text = given.trim();
  const url = tryNormalizeUrl(text);
  if (url !== null && !/^file:/i.test(url)) return { given, input: text };
  const file = /^file:/i.test(text) ? decodeURIComponent(new URL(text).pathname) : expandHome(text);
  if (!PAGE_FILE.test(file)) {
    return {
      given,
      error: new FolioError(
        'INVALID_INPUT',
        `${given}: not a web address nor a saved page (.html, .htm, .xhtml, .mhtml); to add the URLs a file lists, use folio import ${given} or folio add - < ${given}`,
      ),
    };
  }
  return { given, input: path.resolve(file) };
}

function expandHome(p: string): string {
  return /^~(?=$|[\\/])/.test(p) ? path.join(homedir(), p.slice(1)) : p;
}

/** `-` anywhere in the inputs is replaced by the non-empty, non-comment lines of stdin. */
async function expandStdin(args: string[]): Promise<string[]> {
  if (!args.includes('-')) return args.map((a) => a.trim()).filter(Boolean);
  let text = '';
  process.stdin.setEncoding('utf8');
  for await (const chunk of process.stdin) text += chunk as string;
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  return args.flatMap((a) => (a === '-' ? lines : [a.trim()])).filter(Boolean);
}
