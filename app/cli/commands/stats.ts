/** `folio stats [--json]`: what the archive holds (counts, sizes) and the capture queue's state. */
import type { Command } from 'commander';
import type { ArchiveStats } from '../../core/article.js';
import { addArchiveOption, openArchiveFromOptions, type ArchiveOptions } from '../archive-option.js';
import { formatBytes, TERMINAL_WIDTH, wrap, writeJsonLine } from '../format/index.js';

interface StatsFlags extends ArchiveOptions {
  json?: boolean;
}

export function registerStatsCommand(program: Command): void {
  const cmd = program
    .command('stats')
    .description('Show counts and sizes of the archive and the capture queue')
    .option('--json', 'one JSON object');
  addArchiveOption(cmd).action((flags: StatsFlags) => {
    const archive = openArchiveFromOptions(flags, { mustExist: true });
    try {
      const stats = archive.stats();
      if (flags.json) writeJsonLine(statsRecord(archive.path, stats));
      else process.stdout.write(statsReport(archive.path, stats).join('\n') + '\n');
    } finally {
      archive.close();
    }
  });
}

/** The --json object: the archive path, then ArchiveStats' fields in a fixed order. */
export function statsRecord(path: string, s: ArchiveStats): Record<string, unknown> {
  return {
    path,
    articles: s.articles,
    bookmarks: s.bookmarks,
    unread: s.unread,
    archived: s.archived,
    favorites: s.favorites,
    tags: s.tags,
    images: s.images,
    imageBytes: s.imageBytes,
    fileBytes: s.fileBytes,
    queue: { pending: s.queue.pending, running: s.queue.running, failed: s.queue.failed, done: s.queue.done },
  };
}

export function statsReport(path: string, s: ArchiveStats): string[] {
  const rows: [string, string][] = [
    ['Archive', `${path} (${formatBytes(s.fileBytes)})`],
    ['Articles', `${s.articles} captured, ${s.bookmarks} bookmark${s.bookmarks === 1 ? '' : 's'}`],
    ['States', `${s.unread} unread, ${s.archived} archived, ${s.favorites} favorite${s.favorites === 1 ? '' : 's'}`],
    ['Tags', String(s.tags)],
    ['Images', `${s.images} (${formatBytes(s.imageBytes)})`],
    ['Queue', `${s.queue.pending} pending, ${s.queue.running} running, ${s.queue.failed} failed, ${s.queue.done} done`],
  ];
  return rows.flatMap(([name, value]) => wrap(value, TERMINAL_WIDTH, `${name}:`.padEnd(10)));
}
