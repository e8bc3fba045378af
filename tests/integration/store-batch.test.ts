import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImageBlob } from '../../app/core/types.js';
import { exportArticles } from '../../app/export/index.js';
import { importFile } from '../../app/import/import-run.js';
import type { ItemReport } from '../../app/import/import-items.js';
import type { Archive } from '../../app/store/archive.js';
import type { ArticleRecord, CaptureToSave, RecordToImport } from '../../app/store/articles-repo.js';
import { openArchive } from '../../app/store/open-archive.js';
import { makeCapture, makeImageBlob } from '../helpers/make-capture.js';

/**
 * The batch write path (issue #6): Archive.saveCaptures / importRecords store many items in one
 * transaction with one SAVEPOINT per item, and must leave exactly what the same items saved one
 * by one leave — rows, search index, per-item results — while a failing item rolls back alone.
 * Real SQLite files; the clock is fixed so that two archives can be compared field for field.
 */
let dir: string;
const opened: Archive[] = [];
const CLOCK = () => new Date('2024-06-01T12:00:00.000Z');

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'folio-store-batch-'));
});
afterEach(() => {
  for (const a of opened.splice(0)) a.close();
  rmSync(dir, { recursive: true, force: true });
});

function open(name: string): Archive {
  const archive = openArchive(join(dir, `${name}.db`), { now: CLOCK });
  opened.push(archive);
  return archive;
}

const dbOf = (archive: Archive) => (archive as unknown as { db: Database.Database }).db;
/** Rows of the word index's segment data: merging segments shrinks it. */
const ftsDataRows = (archive: Archive) => (dbOf(archive).prepare('SELECT count(*) AS n FROM article_fts_data').get() as { n: number }).n;

const JAPANESE = '市立図書館は駅前の再開発にあわせて新しい建物に移転した。';
const shared: ImageBlob[] = [makeImageBlob(501), makeImageBlob(502), makeImageBlob(503)];

/** Varied captures: shared and own images, tags, flags, dates, CJK text, one without original HTML. */
function items(n: number, seed0 = 1): CaptureToSave[] {
  return Array.from({ length: n }, (_, k) => {
    const seed = seed0 + k;
    const own = k % 4 === 0;
    const made = makeCapture({ seed, words: 60 + (k % 5) * 20, ...(own ? { imageCount: 2 } : { blobs: [shared[k % 3]!, shared[(k + 1) % 3]!] }) });
    if (k % 6 === 1) made.capture.text += `\n\n${JAPANESE}`;
    if (k % 7 === 3) made.capture.originalHtml = '';
    return {
      capture: made.capture,
      blobs: made.blobs,
      options: {
        ...(k % 3 === 0 ? { tags: ['Research', k % 2 ? 'odd' : 'even'] } : {}),
        savedAt: new Date(Date.UTC(2023, 0, 1 + k)).toISOString(),
        read: k % 2 === 0,
        archived: k % 5 === 0,
        favorite: k % 3 === 1,
      },
    };
  });
}

const WORD_QUERIES = ['river', 'museum OR garden', 'tag:research', 'tag:odd', 'arch*', '図書館', 'title:library', '-river bridge'];
/** The query mix, plus a phrase taken from the first item's text (so that it exists). */
const queriesFor = (list: CaptureToSave[]) => [...WORD_QUERIES, `"${list[0]!.capture.text.split(/\s+/).slice(2, 5).join(' ').replace(/[^\p{L} ]/gu, '')}"`];

/** Everything a reader can observe of an archive, for comparing two of them. */
function observe(archive: Archive, ids: number[], queries: string[]) {
  const { fileBytes: _size, ...stats } = archive.stats();
  return {
    articles: ids.map((id) => archive.getArticle(id)),
    originals: ids.map((id) => archive.getOriginalHtml(id)),
    tags: archive.listTags(),
    sites: archive.listSites(),
    stats,
    searches: queries.map((q) => archive.search(q, { limit: 50 })),
  };
}

function okIds(results: ReturnType<Archive['saveCaptures']>): number[] {
  return results.map((r) => {
    if (!r.ok) throw new Error(`unexpected failure: ${r.error.message}`);
    return r.result.id;
  });
}

describe('Archive.saveCaptures', () => {
  it('stores exactly what the same captures saved one by one store', () => {
    const batch = items(40);
    const single = open('single');
    const singleIds = batch.map((i) => single.saveCapture(i.capture, i.blobs, i.options).id);
    const bulk = open('bulk');
    // Two batches, so the second also dedups and shares images against the first one's rows.
    const bulkIds = [...okIds(bulk.saveCaptures(batch.slice(0, 25))), ...okIds(bulk.saveCaptures(batch.slice(25)))];

    expect(bulkIds).toEqual(singleIds);
    const queries = queriesFor(batch);
    const a = observe(single, singleIds, queries);
    const b = observe(bulk, bulkIds, queries);
    expect(b.articles).toEqual(a.articles);
    expect(b.originals).toEqual(a.originals);
    expect(b.tags).toEqual(a.tags);
    expect(b.sites).toEqual(a.sites);
    expect(b.stats).toEqual(a.stats);
    expect(b.searches).toEqual(a.searches);
    // The comparison is not vacuous: the searches find things, the flags and tags are set.
    expect(queries.filter((_, i) => a.searches[i]!.total === 0)).toEqual([]);
    const distinctImages = new Set(batch.flatMap((i) => i.blobs.map((blob) => blob.sha256))).size;
    expect(a.stats).toMatchObject({ articles: 40, images: distinctImages, tags: 3 });
    expect(b.articles[1]!.readingProgress).toBe(0);
    expect(b.articles[0]!.tags).toEqual(['even', 'research']);
    expect(b.articles[0]!.leadImage).toMatch(/^[0-9a-f]{64}$/);
    expect(bulk.checkIntegrity()).toEqual([]);
    expect(single.checkIntegrity()).toEqual([]);
  });

  it('indexes each text once: no search row is rewritten, tagged or not', () => {
    const archive = open('once');
    const db = dbOf(archive);
    db.exec(`CREATE TEMP TABLE search_updates (n INTEGER);
             CREATE TEMP TRIGGER count_search_updates AFTER UPDATE ON main.article_search
             BEGIN INSERT INTO search_updates VALUES (1); END;`);
    okIds(archive.saveCaptures(items(12)));
    expect((db.prepare('SELECT count(*) AS n FROM temp.search_updates').get() as { n: number }).n).toBe(0);
    expect(archive.search('tag:research').total).toBe(4);
  });

  it('reports a failing item and keeps every other one (failures before and inside the transaction)', () => {
    const archive = open('failures');
    const list = items(6, 100);
    // Inside the transaction: an image reference without bytes is found missing only while linking,
    // after the article row and its URLs were written — the item's savepoint must undo them.
    const noBytes = makeCapture({ seed: 900, imageCount: 1 });
    list[2] = { capture: noBytes.capture, blobs: [] };
    // Before the transaction: a date that is not one.
    list[4] = { ...list[4]!, options: { savedAt: 'last tuesday' } };
    // Also before: bytes that do not match their hash.
    const forged = makeCapture({ seed: 901, imageCount: 1 });
    list.push({ capture: forged.capture, blobs: [{ ...forged.blobs[0]!, data: makeImageBlob(77).data }] });

    const results = archive.saveCaptures(list);
    expect(results.map((r) => r.ok)).toEqual([true, true, false, true, false, true, false]);
    const errors = results.flatMap((r) => (r.ok ? [] : [r.error]));
    expect(errors.map((e) => e.code)).toEqual(['INTERNAL', 'INVALID_INPUT', 'INTERNAL']);
    expect(errors[0]!.message).toMatch(/came without its bytes/);
    expect(errors[0]!.message).toContain(noBytes.capture.url);
    expect(errors[1]!.message).toMatch(/savedAt "last tuesday"/);
    expect(errors[2]!.message).toMatch(/does not match its SHA-256/);

    for (const failed of [noBytes.capture.url, list[4]!.capture.url, forged.capture.url]) {
      expect(archive.findByUrl(failed, { includeDeleted: true })).toBeNull();
    }
    const saved = results.flatMap((r) => (r.ok ? [r.result] : []));
    expect(saved.every((r) => r.outcome === 'created')).toBe(true);
    expect(archive.stats().articles).toBe(4);
    for (const r of saved) expect(archive.search(archive.getArticle(r.id)!.title.split(' ')[0]!).items.map((h) => h.id)).toContain(r.id);
    // Nothing of the failed items is left: not their URLs, not their images, not their search rows.
    const db = dbOf(archive);
    expect((db.prepare('SELECT count(*) AS n FROM article_search').get() as { n: number }).n).toBe(4);
    expect((db.prepare('SELECT count(*) AS n FROM images WHERE sha256 = ?').get(forged.blobs[0]!.sha256) as { n: number }).n).toBe(0);
    expect(archive.checkIntegrity()).toEqual([]);
  });

  it('dedups within one batch, against the archive, and lets a URL through when its first item failed', () => {
    const archive = open('dedup');
    const before = makeCapture({ seed: 300 });
    const existingId = archive.saveCapture(before.capture, before.blobs).id;

    const a = makeCapture({ seed: 301 });
    const viaCanonical = makeCapture({ seed: 302, canonicalUrl: a.capture.url });
    const broken = makeCapture({ seed: 303, imageCount: 1 });
    const retry = makeCapture({ seed: 303 });
    const results = archive.saveCaptures([
      { capture: a.capture, blobs: a.blobs },
      { capture: a.capture, blobs: a.blobs, options: { tags: ['ignored'] } },
      { capture: viaCanonical.capture, blobs: viaCanonical.blobs },
      { capture: before.capture, blobs: before.blobs },
      { capture: broken.capture, blobs: [] }, // fails inside its savepoint…
      { capture: retry.capture, blobs: retry.blobs }, // …so the same URL is new again
    ]);
    const [first, again, canonical, old, failed, second] = results;
    expect(first).toMatchObject({ ok: true, result: { created: true, outcome: 'created' } });
    const id = first!.ok ? first.result.id : -1;
    expect(again).toEqual({ ok: true, result: { id, created: false, outcome: 'duplicate' } });
    expect(canonical).toEqual({ ok: true, result: { id, created: false, outcome: 'duplicate' } });
    expect(old).toEqual({ ok: true, result: { id: existingId, created: false, outcome: 'duplicate' } });
    expect(failed!.ok).toBe(false);
    expect(second).toMatchObject({ ok: true, result: { created: true, outcome: 'created' } });
    expect(archive.getArticle(id)!.tags).toEqual([]); // a duplicate changes nothing, as with saveCapture
    expect(archive.stats().articles).toBe(3);
    expect(archive.checkIntegrity()).toEqual([]);
  });

  it('upgrades a bookmark and restores a trashed article, as saveCapture does', () => {
    const archive = open('upgrade');
    const bookmarked = makeCapture({ seed: 400, words: 80 });
    const trashed = makeCapture({ seed: 401, words: 80 });
    const bookmarkId = archive.addBookmark({ url: bookmarked.capture.url, title: 'Later', tags: ['later'] }).id;
    const trashedId = archive.saveCapture(trashed.capture, trashed.blobs).id;
    archive.deleteArticles([trashedId]);
    const fresh = makeCapture({ seed: 402, words: 80 });

    const results = archive.saveCaptures([
      { capture: bookmarked.capture, blobs: bookmarked.blobs, options: { tags: ['upgraded'] } },
      { capture: trashed.capture, blobs: trashed.blobs },
      { capture: fresh.capture, blobs: fresh.blobs },
    ]);
    expect(results.map((r) => r.ok && r.result.outcome)).toEqual(['upgraded', 'restored', 'created']);
    const upgraded = archive.getArticle(bookmarkId)!;
    expect(upgraded).toMatchObject({ status: 'captured', title: bookmarked.capture.title, tags: ['later', 'upgraded'] });
    expect(upgraded.text).toBe(bookmarked.capture.text);
    expect(archive.getArticle(trashedId)).not.toBeNull();
    const word = bookmarked.capture.title.split(' ')[1]!;
    expect(archive.search(`title:${word}`).items.map((h) => h.id)).toContain(bookmarkId);
    expect(archive.checkIntegrity()).toEqual([]);
  });

  it('saves item by item when writing a search row fails, so only that item is lost', () => {
    const archive = open('search-failure');
    // A search row SQLite refuses to write (here by a trigger; in life: no known input does).
    dbOf(archive).exec(`CREATE TEMP TRIGGER refuse_row BEFORE INSERT ON main.article_search
                        WHEN new.title = 'Refused by the index' BEGIN SELECT RAISE(ABORT, 'refusing to index this row'); END;`);
    const list = items(3, 600);
    list[1] = { ...list[1]!, capture: { ...list[1]!.capture, title: 'Refused by the index' } };
    const results = archive.saveCaptures(list);
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    expect(results[1]!.ok ? '' : results[1]!.error.message).toMatch(/refusing to index this row/);
    expect(archive.findByUrl(list[1]!.capture.url)).toBeNull();
    for (const r of [results[0]!, results[2]!]) {
      const id = r.ok ? r.result.id : -1;
      expect(archive.search(`title:"${archive.getArticle(id)!.title}"`).items.map((h) => h.id)).toContain(id);
    }
    expect(archive.checkIntegrity()).toEqual([]);
  });

  it('an empty batch does nothing', () => {
    const archive = open('empty');
    expect(archive.saveCaptures([])).toEqual([]);
    expect(archive.stats().articles).toBe(0);
  });
});

describe('Archive.importRecords', () => {
  /** Backup records (as app/export/json-backup.ts writes them) of every article of `source`. */
  function recordsOf(source: Archive): RecordToImport[] {
    return [...source.iterateArticles()].map(({ id, ...article }) => {
      const record: ArticleRecord = { ...article, originalHtml: source.getOriginalHtml(id) };
      const blobs = article.images.map((i) => ({ sha256: i.sha256, type: i.type, data: source.getImage(i.sha256)!.data }));
      return { record, blobs };
    });
  }

  it('restores the same articles as importRecord one by one, every field included, indexing each text once', () => {
    const source = open('source');
    const list = items(15, 700);
    const ids = okIds(source.saveCaptures(list));
    source.setProgress(ids[2]!, 0.5);
    source.addBookmark({ url: 'https://example.com/bookmarked/page', title: 'A bookmarked museum page', tags: ['later'] });
    const records = recordsOf(source);
    expect(records).toHaveLength(16);

    const single = open('restore-single');
    const singleIds = records.map((r) => single.importRecord(r.record, r.blobs).id);
    const bulk = open('restore-bulk');
    const db = dbOf(bulk);
    db.exec(`CREATE TEMP TABLE search_updates (n INTEGER);
             CREATE TEMP TRIGGER count_search_updates AFTER UPDATE ON main.article_search
             BEGIN INSERT INTO search_updates VALUES (1); END;`);
    const bulkIds = okIds(bulk.importRecords(records));
    expect((db.prepare('SELECT count(*) AS n FROM temp.search_updates').get() as { n: number }).n).toBe(0);

    expect(bulkIds).toEqual(singleIds);
    const queries = queriesFor(list);
    const a = observe(single, singleIds, queries);
    const b = observe(bulk, bulkIds, queries);
    expect(b).toEqual(a);
    // Verbatim: what the source had, updatedAt and progress included.
    const strip = ({ id: _id, ...rest }: NonNullable<ReturnType<Archive['getArticle']>>) => rest;
    expect(b.articles.map((x) => strip(x!))).toEqual([...source.iterateArticles()].map(strip));
    expect(b.articles[2]!.readingProgress).toBe(0.5);
    expect(bulk.search('tag:later').total).toBe(1);
    expect(bulk.checkIntegrity()).toEqual([]);

    // Restoring again: every record is a duplicate and nothing changes.
    expect(bulk.importRecords(records).map((r) => r.ok && r.result.outcome)).toEqual(records.map(() => 'duplicate'));
    expect(observe(bulk, bulkIds, queries)).toEqual(b);
  });
});

describe('Archive.optimizeSearchIndex', () => {
  it('merges the index after a bulk load without changing any search result', () => {
    const archive = open('optimize');
    // One transaction per batch leaves one FTS5 segment per batch.
    const batches = Array.from({ length: 6 }, (_, b) => items(30, 1000 + b * 30));
    for (const batch of batches) okIds(archive.saveCaptures(batch));
    const queries = queriesFor(batches[0]!);
    const before = queries.map((q) => archive.search(q, { limit: 100 }));
    const rowsBefore = ftsDataRows(archive);

    archive.optimizeSearchIndex();

    expect(queries.map((q) => archive.search(q, { limit: 100 }))).toEqual(before);
    expect(queries.filter((_, i) => before[i]!.total === 0)).toEqual([]);
    expect(ftsDataRows(archive)).toBeLessThan(rowsBefore);
    // A merged index has nothing left to merge.
    const merged = ftsDataRows(archive);
    archive.optimizeSearchIndex();
    expect(ftsDataRows(archive)).toBe(merged);
    expect(archive.checkIntegrity()).toEqual([]);
  });
});

describe('folio-json import through the batch path', () => {
  async function backupOf(n: number): Promise<string> {
    const source = open('backup-source');
    const list = Array.from({ length: n }, (_, k) => {
      const made = makeCapture({ seed: 5000 + k, words: 25, blobs: [shared[k % 3]!] });
      return { capture: made.capture, blobs: made.blobs, options: { tags: [k % 2 ? 'odd' : 'even'] } };
    });
    for (let i = 0; i < n; i += 500) okIds(source.saveCaptures(list.slice(i, i + 500)));
    const out = join(dir, `backup-${n}.json`);
    await exportArticles(source, { format: 'json', out });
    return out;
  }

  it('restores a backup in batches, reporting each record in backup order, a damaged one failed and a repeated one duplicate', async () => {
    const file = await backupOf(450);
    const backup = JSON.parse(readFileSync(file, 'utf8')) as { articles: Record<string, unknown>[] };
    backup.articles[210]!.readingProgress = 'half';
    backup.articles.push({ ...backup.articles[440]! }); // the same article twice in one batch (400–450)
    writeFileSync(file, JSON.stringify(backup));

    const archive = open('restored');
    const reports: ItemReport[] = [];
    const summary = await importFile(archive, file, { onItem: (r) => reports.push(r) });

    expect(summary).toMatchObject({ format: 'folio-json', items: 451, saved: 449, failed: 1, duplicate: 1 });
    expect(reports.map((r) => r.url)).toEqual(backup.articles.map((a) => a.url));
    expect(reports[210]).toMatchObject({ status: 'failed' });
    expect(reports[210]!.error).toMatch(/readingProgress/);
    expect(reports[450]).toEqual({ url: backup.articles[440]!.url, status: 'duplicate', id: reports[440]!.id });
    expect(reports[440]).toMatchObject({ status: 'saved' });
    expect(archive.stats().articles).toBe(449);
    expect(archive.search('tag:odd', { limit: 1 }).total).toBe(225);
    expect(archive.checkIntegrity()).toEqual([]);
  });

  it('ends a large restore (≥ 1,000 items) with a merged search index, a small one without', async () => {
    const large = open('large');
    const summary = await importFile(large, await backupOf(1000));
    expect(summary.saved).toBe(1000);
    const merged = ftsDataRows(large);
    large.optimizeSearchIndex();
    expect(ftsDataRows(large)).toBe(merged); // already optimized by the import

    const small = open('small');
    const smallFile = join(dir, 'backup-1000.json');
    const backup = JSON.parse(readFileSync(smallFile, 'utf8')) as { articles: unknown[] };
    backup.articles = backup.articles.slice(0, 600);
    writeFileSync(smallFile, JSON.stringify(backup));
    expect((await importFile(small, smallFile)).saved).toBe(600);
    const unmerged = ftsDataRows(small);
    small.optimizeSearchIndex();
    expect(ftsDataRows(small)).toBeLessThan(unmerged);
  }, 60_000);
});
