import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArticleDetail } from '../../app/core/article.js';
import type { Archive } from '../../app/store/archive.js';
import { openArchive } from '../../app/store/index.js';
import { makeCapture } from '../helpers/make-capture.js';
import { seedArchive, type Seeded } from './export-fixtures.js';
import { ensureBuilt, folio, jsonLines } from './import-cli-run.js';

/**
 * The lossless backup round trip, end to end through the CLI: `folio export --format json`
 * (plain .json and .zip), then `folio import` into an EMPTY archive, must reproduce every live
 * article field for field — including updatedAt, which a normal save would stamp with "now" —
 * plus the original HTML, every image's type and bytes, the tags and the search results.
 *
 * Trash is not exported (a backup holds what the user keeps; the trash is a pending delete), so
 * a trashed source article must be absent after the restore.
 */
let seeded: Seeded;
let srcPath: string;
const TRASHED_URL = 'https://example.com/articles/trashed-before-backup';

beforeAll(() => {
  ensureBuilt();
  seeded = seedArchive();
  const a = seeded.archive;
  // Two articles sharing the rich article's images (content-addressed: stored once, linked twice).
  const shared = makeCapture({ seed: 8, words: 40, blobs: seeded.images, title: 'Shared pictures of rivers', lang: 'ar', dir: 'rtl' });
  seeded.ids.shared = a.saveCapture({ ...shared.capture, extractor: 'json-ld', rendered: true, publishedTime: null }, shared.blobs, {
    savedAt: '2024-05-08T09:00:00.000Z',
    tags: ['shared', 'rivers'],
  }).id;
  a.setFlags([seeded.ids.shared!], { read: true, favorite: true });
  a.setFlags([seeded.ids.cjk!], { archived: true });
  a.setProgress(seeded.ids.rich!, 0.42);
  a.setProgress(seeded.ids.cjk!, 1);
  a.setTags(seeded.ids.bookmark!, ['later', 'bookmarks']);
  a.setFlags([seeded.ids.bookmark!], { favorite: true });
  const trashed = makeCapture({ seed: 9, words: 30, url: TRASHED_URL });
  a.deleteArticles([a.saveCapture(trashed.capture, trashed.blobs).id]);
  srcPath = seeded.archive.path;
  // The CLI opens the same file: release it (the store reopens it for comparisons).
  a.close();
}, 120_000);

afterAll(() => seeded?.cleanup());

function allArticles(archive: Archive): ArticleDetail[] {
  return [...archive.iterateArticles()];
}

/** Everything a restore must keep, keyed by URL (ids are new in the restored archive). */
function snapshot(archive: Archive) {
  const articles = allArticles(archive).map((a) => {
    const { id, ...rest } = a;
    return { ...rest, originalHtml: archive.getOriginalHtml(id) };
  });
  const shas = [...new Set(articles.flatMap((a) => a.images.map((i) => i.sha256)))].sort();
  const images = shas.map((sha) => {
    const img = archive.getImage(sha);
    return { sha, type: img?.type, hex: img?.data.toString('hex') };
  });
  // Hits in rank order. Raw bm25 scores are left out: the source's index still counts the trashed
  // article in its corpus statistics, so scores differ in the last digits while the ranking does not.
  const searches = ['Seine', 'rivers', '東京', 'tag:later', 'bookmark', 'is:favorite rivers'].map((q) =>
    archive.search(q, { limit: 50 }).items.map((h) => ({ url: h.url, title: h.title, snippet: h.snippet })),
  );
  // Image totals are compared separately: the source still stores the trashed article's image.
  const { fileBytes: _f, images: _i, imageBytes: _b, ...stats } = archive.stats();
  return { articles: articles.sort((x, y) => x.url.localeCompare(y.url)), images, searches, tags: archive.listTags(), stats };
}

describe.each([
  ['json', 'backup.json'],
  ['zip', 'backup.zip'],
])('folio export --format json (%s) → folio import into an empty archive', (_kind, fileName) => {
  it('reproduces every article field, the original HTML, every image and the search results; restoring again changes nothing', async () => {
    const backup = join(seeded.dir, fileName);
    const target = join(seeded.dir, `restored-from-${fileName}.db`);
    rmSync(backup, { force: true });
    const exported = await folio(['export', '--format', 'json', '--out', backup, '--db', srcPath]);
    expect(exported.stderr).toBe('');
    expect(exported.code).toBe(0);
    expect(existsSync(backup)).toBe(true);

    const restored = await folio(['import', backup, '--json', '--db', target]);
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    const lines = jsonLines(restored.stdout);
    const summary = lines.at(-1)!;
    expect(summary).toMatchObject({ summary: true, format: 'folio-json', items: 9, saved: 8, bookmarked: 1, duplicate: 0, failed: 0 });
    expect(lines.slice(0, -1).map((l) => l.status).sort()).toEqual([...Array(8).fill('saved'), 'bookmarked'].sort());

    const src = openArchive(srcPath, { readonly: true });
    const dst = openArchive(target, { readonly: true });
    try {
      const before = snapshot(src);
      const after = snapshot(dst);
      // Sanity on the fixture itself, so the equality below compares something meaningful.
      expect(before.articles).toHaveLength(9);
      expect(before.articles.some((a) => a.status === 'bookmark' && a.tags.length === 2 && a.favorite)).toBe(true);
      expect(before.articles.some((a) => a.readingProgress === 0.42)).toBe(true);
      expect(before.articles.find((a) => a.title === 'Shared pictures of rivers')).toMatchObject({ dir: 'rtl', extractor: 'json-ld', rendered: true, read: true, favorite: true, publishedTime: null });
      expect(before.images.length).toBeGreaterThanOrEqual(8);
      expect(before.searches.every((hits) => hits.length > 0)).toBe(true);

      for (const [i, a] of before.articles.entries()) expect(after.articles[i], a.url).toEqual(a);
      expect(after.images).toEqual(before.images);
      expect(after.searches).toEqual(before.searches);
      expect(after.tags).toEqual(before.tags);
      expect(after.stats).toEqual(before.stats);
      // Each shared image stored once: exactly the live articles' distinct images, no more.
      expect(dst.stats().images).toBe(before.images.length);
      expect(dst.stats().imageBytes).toBe(before.images.reduce((n, i) => n + (i.hex?.length ?? 0) / 2, 0));
      // Trash is not part of a backup.
      expect(dst.findByUrl(TRASHED_URL, { includeDeleted: true })).toBeNull();
      expect(dst.checkIntegrity()).toEqual([]);
    } finally {
      src.close();
      dst.close();
    }

    // Idempotent: the second restore finds everything there and writes nothing.
    const before = openArchive(target, { readonly: true });
    const snap = snapshot(before);
    before.close();
    const again = await folio(['import', backup, '--json', '--db', target]);
    expect(again.code).toBe(0);
    expect(jsonLines(again.stdout).at(-1)).toMatchObject({ items: 9, saved: 0, bookmarked: 0, duplicate: 9, failed: 0 });
    const afterAgain = openArchive(target, { readonly: true });
    try {
      expect(snapshot(afterAgain)).toEqual(snap);
    } finally {
      afterAgain.close();
    }
  });
});
