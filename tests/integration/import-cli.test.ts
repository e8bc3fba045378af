import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { exportArticles } from '../../app/export/index.js';
import { openArchive } from '../../app/store/index.js';
import { ensureBuilt, folio, jsonLines } from './import-cli-run.js';

/**
 * `folio import` paths the format tests did not reach, through the real CLI on real temp
 * archives: Pocket's multi-CSV export zip, Readeck's JSON bookmark list, the `--json` output
 * (one JSON object per item, then a summary) and the exit codes, a 10,000-row CSV, and a
 * 10,000-article export with progress.
 */
let dir: string;
beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'folio-import-cli-'));
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const dbPath = (name: string) => join(dir, `${name}.db`);

function writeZip(file: string, entries: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const zip = new yazl.ZipFile();
    for (const [name, text] of Object.entries(entries)) zip.addBuffer(Buffer.from(text, 'utf8'), name);
    zip.end();
    zip.outputStream.pipe(createWriteStream(file)).on('close', resolve).on('error', reject);
  });
}

describe('Pocket export zip with several CSV files', () => {
  it('reads every part (both column orders), ignores annotations and macOS junk, keeps tags, states and dates', async () => {
    const zipFile = join(dir, 'pocket.zip');
    await writeZip(zipFile, {
      'part_000000.csv':
        'title,url,time_added,cursor,tags,status\n' +
        'First,https://example.com/pocket/1,1700000000,c1,news|long reads,unread\n' +
        '"Quoted, title",https://example.com/pocket/2,1700000100,c2,,archive\n',
      'part_000001.csv':
        'title,url,time_added,tags,status\n' +
        'https://example.com/pocket/3,https://example.com/pocket/3,1700000200,tech,unread\n' +
        'Again first,https://example.com/pocket/1,1700000300,,unread\n',
      'annotations/part_000000.json': '[{"url":"https://example.com/pocket/1","highlights":[]}]',
      '__MACOSX/._part_000000.csv': 'binary junk that is not CSV',
    });
    const run = await folio(['import', zipFile, '--no-fetch', '--json', '--db', dbPath('pocket-zip')]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = jsonLines(run.stdout);
    expect(lines.at(-1)).toMatchObject({ summary: true, format: 'pocket-zip', items: 4, bookmarked: 3, duplicate: 1, failed: 0 });
    expect(lines.slice(0, -1).map((l) => [l.line, l.url, l.status])).toEqual([
      [2, 'https://example.com/pocket/1', 'bookmarked'],
      [3, 'https://example.com/pocket/2', 'bookmarked'],
      [2, 'https://example.com/pocket/3', 'bookmarked'],
      [3, 'https://example.com/pocket/1', 'duplicate'],
    ]);
    const archive = openArchive(dbPath('pocket-zip'), { readonly: true });
    try {
      const byUrl = (u: string) => archive.getArticle(archive.findByUrl(u)!)!;
      expect(byUrl('https://example.com/pocket/1')).toMatchObject({ title: 'First', tags: ['long reads', 'news'], savedAt: '2023-11-14T22:13:20.000Z', read: false });
      expect(byUrl('https://example.com/pocket/2')).toMatchObject({ title: 'Quoted, title', read: true, archived: true });
      // Pocket writes the URL as the title when it had none: the bookmark falls back to the URL.
      expect(byUrl('https://example.com/pocket/3')).toMatchObject({ tags: ['tech'], savedAt: '2023-11-14T22:16:40.000Z' });
    } finally {
      archive.close();
    }
  });
});

describe("Readeck's JSON bookmark list", () => {
  it('saves items with content offline, bookmarks the rest, maps is_marked/is_archived/read_progress/labels', async () => {
    const file = join(dir, 'readeck.json');
    const body = '<p>The harbour at dawn was quiet. Fishing boats rocked against the old stone wall while gulls circled overhead.</p>'.repeat(8);
    writeFileSync(
      file,
      JSON.stringify([
        { id: 'a1', url: 'https://example.com/readeck/harbour', title: 'Harbour at dawn', site_name: 'Example', authors: ['Ann Lee'], published: '2024-01-02T00:00:00Z', created: '2024-02-03T04:05:06Z', labels: ['sea', 'Morning'], is_archived: false, is_marked: true, read_progress: 40, content: body },
        { id: 'a2', url: 'https://example.com/readeck/later', title: 'For later', created: '2024-02-04T00:00:00Z', labels: [], is_archived: true, is_marked: false, read_progress: 100 },
        { id: 'a3', url: 'ftp://example.com/file', title: 'Not a page', created: '2024-02-05T00:00:00Z', is_marked: false, read_progress: 0 },
      ]),
    );
    const run = await folio(['import', file, '--no-fetch', '--json', '--tag', 'from-readeck', '--db', dbPath('readeck')]);
    expect(run.code).toBe(0);
    const lines = jsonLines(run.stdout);
    expect(lines.at(-1)).toMatchObject({ summary: true, format: 'readeck', items: 3, saved: 1, bookmarked: 1, skipped: 1, failed: 0 });
    expect(lines.slice(0, -1).map((l) => l.status)).toEqual(['saved', 'bookmarked', 'skipped']);
    expect(String(lines[2]!.error)).toMatch(/not a web address/);
    const archive = openArchive(dbPath('readeck'), { readonly: true });
    try {
      const saved = archive.getArticle(archive.findByUrl('https://example.com/readeck/harbour')!)!;
      expect(saved).toMatchObject({ status: 'captured', title: 'Harbour at dawn', byline: 'Ann Lee', favorite: true, read: false, readingProgress: 0.4, savedAt: '2024-02-03T04:05:06.000Z', tags: ['from-readeck', 'morning', 'sea'] });
      expect(saved.text).toContain('Fishing boats rocked against the old stone wall');
      expect(archive.search('gulls').items.map((h) => h.url)).toEqual(['https://example.com/readeck/harbour']);
      const later = archive.getArticle(archive.findByUrl('https://example.com/readeck/later')!)!;
      expect(later).toMatchObject({ status: 'bookmark', title: 'For later', archived: true, read: true, tags: ['from-readeck'] });
    } finally {
      archive.close();
    }
  });
});

describe('--json output and exit codes', () => {
  it('a missing file: exit 1, one line "folio: …" naming the file, nothing on stdout', async () => {
    const missing = join(dir, 'no-such-export.csv');
    const run = await folio(['import', missing, '--json', '--db', dbPath('missing')]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^folio: .*no-such-export\.csv.*no such file/);
  });

  it('an export broken part-way: items before it are kept, the summary carries the error, exit 1', async () => {
    const file = join(dir, 'broken.csv');
    writeFileSync(file, 'title,url,time_added,tags,status\nOne,https://example.com/b/1,1700000000,,unread\n"Two,https://example.com/b/2,1700000000,,unread\n');
    const run = await folio(['import', file, '--no-fetch', '--json', '--db', dbPath('broken')]);
    expect(run.code).toBe(1);
    const lines = jsonLines(run.stdout);
    expect(lines[0]).toMatchObject({ line: 2, url: 'https://example.com/b/1', status: 'bookmarked' });
    expect(lines.at(-1)).toMatchObject({ summary: true, items: 1, bookmarked: 1, error: { code: 'BAD_FORMAT' } });
    expect(run.stderr).toMatch(/^folio: imported 1 items before line \d+: .*broken\.csv/);
  });

  it('a backup with one damaged record: that item is "failed" with the reason, the others restored, exit 1', async () => {
    const file = join(dir, 'damaged-backup.json');
    const record = (url: string, overrides: Record<string, unknown> = {}) => ({
      id: 1, url, finalUrl: url, canonicalUrl: null, title: `Title of ${url}`, byline: null, siteName: null, excerpt: null, lang: null, dir: null,
      publishedTime: null, savedAt: '2024-01-01T00:00:00.000Z', updatedAt: '2024-01-02T00:00:00.000Z', fetchedAt: null, wordCount: 0,
      readingMinutes: 0, leadImage: null, tags: [], status: 'bookmark', read: false, archived: false, favorite: false, readingProgress: 0,
      html: '', text: '', extractor: null, rendered: false, images: [], originalHtml: null, ...overrides,
    });
    writeFileSync(
      file,
      JSON.stringify({
        format: 'folio-backup', version: 1, exportedAt: '2024-01-03T00:00:00.000Z', generator: 'Folio', imageData: 'base64',
        articles: [record('https://example.com/ok/1'), record('https://example.com/bad', { readingProgress: 7 }), record('https://example.com/ok/2')],
        images: [],
      }),
    );
    const run = await folio(['import', file, '--json', '--db', dbPath('damaged')]);
    expect(run.code).toBe(1);
    const lines = jsonLines(run.stdout);
    expect(lines.slice(0, -1).map((l) => [l.url, l.status])).toEqual([
      ['https://example.com/ok/1', 'bookmarked'],
      ['https://example.com/bad', 'failed'],
      ['https://example.com/ok/2', 'bookmarked'],
    ]);
    expect(String(lines[1]!.error)).toMatch(/damaged-backup\.json.*https:\/\/example\.com\/bad.*readingProgress/);
    expect(lines.at(-1)).toMatchObject({ summary: true, format: 'folio-json', items: 3, bookmarked: 2, failed: 1 });
    const archive = openArchive(dbPath('damaged'), { readonly: true });
    try {
      // Restored verbatim, including the updatedAt a normal save would have replaced.
      expect(archive.getArticle(archive.findByUrl('https://example.com/ok/2')!)).toMatchObject({ updatedAt: '2024-01-02T00:00:00.000Z', title: 'Title of https://example.com/ok/2' });
      expect(archive.findByUrl('https://example.com/bad')).toBeNull();
    } finally {
      archive.close();
    }
  });
});

describe('10,000 rows', () => {
  const ROWS = 10_000;
  it('a 10,000-row Pocket CSV with --no-fetch through the CLI stores every row (reports items/s)', async () => {
    const file = join(dir, 'pocket-10k.csv');
    const rows = ['title,url,time_added,tags,status'];
    for (let i = 0; i < ROWS; i++) rows.push(`Article ${i},https://example.com/bulk/${i},${1_600_000_000 + i},${i % 10 === 0 ? 'tenth' : ''},${i % 2 ? 'archive' : 'unread'}`);
    writeFileSync(file, rows.join('\n') + '\n');
    const run = await folio(['import', file, '--no-fetch', '--db', dbPath('bulk')]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const m = /Imported (\d+) items .*: (\d+) saved, (\d+) bookmarked, (\d+) already in the archive \((\d+) items\/s\)/.exec(run.stdout);
    expect(m, run.stdout).not.toBeNull();
    expect(m!.slice(1, 5).map(Number)).toEqual([ROWS, 0, ROWS, 0]);
    console.log(`[import-cli] 10,000-row Pocket CSV --no-fetch via CLI: ${m![5]} items/s`);
    const archive = openArchive(dbPath('bulk'), { readonly: true });
    try {
      const stats = archive.stats();
      expect(stats.bookmarks).toBe(ROWS);
      expect(stats.archived).toBe(ROWS / 2);
      expect(archive.listTags()).toEqual([{ tag: 'tenth', count: ROWS / 10 }]);
    } finally {
      archive.close();
    }
  }, 120_000);

  it('exporting those 10,000 articles reports progress for each and finishes with all of them', async () => {
    const archive = openArchive(dbPath('bulk'));
    const seen: [number, number][] = [];
    try {
      const out = join(dir, 'bulk-backup.json');
      const result = await exportArticles(archive, { format: 'json', out, onProgress: (done, total) => seen.push([done, total]) });
      expect(result.articles).toBe(ROWS);
      expect(seen[0]).toEqual([0, ROWS]);
      expect(seen.at(-1)).toEqual([ROWS, ROWS]);
      expect(seen).toHaveLength(ROWS + 1);
      expect(seen.every(([done], i) => done === i)).toBe(true);
      const backup = JSON.parse(readFileSync(out, 'utf8')) as { articles: { url: string }[] };
      expect(new Set(backup.articles.map((a) => a.url)).size).toBe(ROWS);
    } finally {
      archive.close();
    }
  }, 120_000);
});
