/**
 * `folio refresh <id>...`: captures articles again from their URL and replaces the stored
 * content (text, HTML, images, search index), keeping tags, states, progress and saved date.
 * Runs through the durable capture queue (app/queue/runner.ts), like `folio add --refresh`, so
 * transient failures are retried and an interrupted refresh resumes on the next queue run.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { createEventBus } from '../../api/events.js';
import { parseRenderMode, RENDER_MODES } from '../../capture/capture-options.js';
import type { QueueItem } from '../../core/contract.js';
import type { RenderMode } from '../../core/types.js';
import { captureOptionsFromSettings } from '../../queue/capture-settings.js';
import { createQueueRunner } from '../../queue/runner.js';
import { addArchiveOption, openArchiveFromOptions, type ArchiveOptions } from '../archive-option.js';
import { collectArticleId, requireArticles } from '../format/article-ids.js';
import { truncate, writeJsonLine } from '../format/index.js';

interface RefreshFlags extends ArchiveOptions {
  render?: RenderMode;
  json?: boolean;
}

const FINAL = new Set(['saved', 'duplicate', 'failed']);

export function registerRefreshCommand(program: Command): void {
  const cmd = program
    .command('refresh')
    .description('Capture articles again and replace their content (tags and states are kept)')
    .argument('<ids...>', 'article ids (see folio list)', collectArticleId)
    .addOption(
      new Option('--render <mode>', `render JavaScript pages in Chrome/Chromium: ${RENDER_MODES.join('|')} (default: the setting)`).argParser(
        (v) => {
          try {
            return parseRenderMode(v);
          } catch (err) {
            throw new InvalidArgumentError((err as Error).message);
          }
        },
      ),
    )
    .option('--json', 'one JSON object per article per line: {id, status, jobId, error}');
  addArchiveOption(cmd)
    .addHelpText('after', '\nExample:\n  folio refresh 42 43')
    .action((ids: number[], flags: RefreshFlags) => runRefresh(ids, flags));
}

async function runRefresh(ids: number[], flags: RefreshFlags): Promise<void> {
  const archive = openArchiveFromOptions(flags, { mustExist: true });
  const events = createEventBus();
  const runner = createQueueRunner({
    archive,
    events,
    captureOptions: () => captureOptionsFromSettings(archive.getSettings(), flags.render ? { render: flags.render } : {}),
  });
  try {
    requireArticles(archive, ids, 'live');
    const inputs = ids.map((id) => {
      const a = archive.getArticle(id)!;
      return { id, title: a.title, input: a.url };
    });
    const outcomes = new Map<number, QueueItem>();
    let jobIds = new Set<number>();
    // Only this command's jobs matter: the runner may also pick up older pending jobs, which
    // are sent back to pending (cancelRunning) once ours are done.
    const allDone = new Promise<void>((resolve) => {
      events.on('queue.progress', ({ item }) => {
        if (!jobIds.has(item.jobId) || !FINAL.has(item.status)) return;
        outcomes.set(item.jobId, item);
        if (outcomes.size === jobIds.size) resolve();
      });
    });
    const jobs = runner.enqueue(inputs.map((i) => ({ input: i.input, options: { refreshArticleId: i.id, render: flags.render } })));
    jobIds = new Set(jobs.map((j) => j.jobId));
    runner.start();
    await allDone;
    await runner.stop({ cancelRunning: true });

    let failed = 0;
    inputs.forEach((i, n) => {
      const job = jobs[n]!;
      const item = outcomes.get(job.jobId)!;
      const ok = item.status !== 'failed' && job.options.refreshArticleId === i.id;
      if (!ok) failed++;
      const error = item.error ?? (ok ? null : { code: 'DUPLICATE', message: `${i.input} was already queued as job ${job.jobId} (not a refresh of #${i.id})` });
      if (flags.json) writeJsonLine({ id: i.id, status: ok ? 'refreshed' : 'failed', jobId: job.jobId, error });
      else if (ok) process.stdout.write(`#${i.id} refreshed: ${truncate(archive.getArticle(i.id)?.title ?? i.title, 60)}\n`);
      else process.stderr.write(`folio: #${i.id} not refreshed: ${error!.message.split('\n')[0]}\n`);
    });
    if (failed > 0) process.exitCode = 1;
  } finally {
    await runner.stop({ cancelRunning: true });
    archive.close();
  }
}
