import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../app/core/contract.js';
import { FolioError } from '../../app/core/errors.js';
import { compressText, compressTextAsync } from '../../app/store/compress.js';
import { assetUrl } from '../../app/core/types.js';
import type { Archive } from '../../app/store/archive.js';
import { openArchive } from '../../app/store/open-archive.js';
import { TAG_COUNTS_SQL } from '../../app/store/tags-repo.js';
import { makeCapture, makeImageBlob } from '../helpers/make-capture.js';

let dir: string;
let archive: Archive;
let clock: Date;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'folio-store-'));
  clock = new Date('2024-06-01T10:00:00.000Z');
  archive = openArchive(join(dir, 'folio.db'), { now: () => clock });
});
afterEach(() => {
  archive.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Advances the test clock so saved dates differ and sort predictably. */
function tick(minutes = 1): void {
  clock = new Date(clock.getTime() + minutes * 60_000);
}

/** A raw read-only connection, to check what is physically stored. */
function raw<T>(sql: string, ...params: unknown[]): T[] {
  const db = new Database(archive.path, { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

describe('saving and reading', () => {
  it('stores a capture and gives it back whole', () => {
    const { capture, blobs } = makeCapture({ seed: 1, imageCount: 2 });
    const res = archive.saveCapture(capture, blobs, { tags: ['Reading', 'later'] });
    expect(res).toEqual({ id: expect.any(Number), created: true, outcome: 'created' });

    const a = archive.getArticle(res.id)!;
    expect(a.title).toBe(capture.title);
    expect(a.text).toBe(capture.text);
    expect(a.html).toBe(capture.html);
    expect(a.byline).toBe(capture.byline);
    expect(a.siteName).toBe(capture.siteName);
    expect(a.publishedTime).toBe(capture.publishedTime);
    expect(a.savedAt).toBe('2024-06-01T10:00:00.000Z');
    expect(a.fetchedAt).toBe(capture.fetchedAt);
    expect(a.tags).toEqual(['later', 'reading']);
    expect(a.status).toBe('captured');
    expect([a.read, a.archived, a.favorite, a.readingProgress]).toEqual([false, false, false, 0]);
    expect(a.wordCount).toBe(capture.wordCount);
    expect(a.extractor).toBe('readability');
    expect(a.leadImage).toBe(blobs[0]!.sha256);
    expect(a.images.map((i) => i.sha256)).toEqual(blobs.map((b) => b.sha256));
    expect(a.images[0]).toEqual({ sha256: blobs[0]!.sha256, type: 'image/png', bytes: blobs[0]!.data.byteLength, url: capture.images[0]!.url });
    expect(a.html).toContain(assetUrl(blobs[1]!.sha256));

    const img = archive.getImage(blobs[1]!.sha256)!;
    expect(img.type).toBe('image/png');
    expect(Buffer.compare(img.data, Buffer.from(blobs[1]!.data))).toBe(0);
    expect(archive.getImage('0'.repeat(64))).toBeNull();
  });

  it('keeps the original HTML compressed and gives it back exactly', () => {
    const big = `<html><body>${'<p>Rivers and mountains, quiet and ancient.</p>'.repeat(2000)}</body></html>`;
    const { capture, blobs } = makeCapture({ seed: 2, originalHtml: big });
    const { id } = archive.saveCapture(capture, blobs);
    expect(archive.getOriginalHtml(id)).toBe(big);
    const [stored] = raw<{ codec: string; bytes: number; len: number }>(
      'SELECT codec, bytes, length(data) AS len FROM article_sources WHERE article_id = ?',
      id,
    );
    expect(stored!.codec).toBe('br');
    expect(stored!.bytes).toBe(Buffer.byteLength(big));
    expect(stored!.len).toBeLessThan(stored!.bytes / 20);
  });

  it('stores an original compressed during capture as it is, and compresses one whose compression does not match', async () => {
    const page = `<html><body>${'<p>Harbour walls and winter light.</p>'.repeat(500)}</body></html>`;
    const ready = await compressTextAsync(page);
    // The thread pool's bytes are compressText's bytes: the archive holds the same either way.
    expect(Buffer.compare(ready.data, compressText(page).data)).toBe(0);
    // A marker byte the store could only have taken from originalCompressed, not made itself.
    const marked = { ...ready, data: Buffer.concat([ready.data, Buffer.from([0])]) };
    const a = makeCapture({ seed: 21, originalHtml: page });
    const { id } = archive.saveCapture({ ...a.capture, originalCompressed: marked }, a.blobs);
    const [kept] = raw<{ len: number }>('SELECT length(data) AS len FROM article_sources WHERE article_id = ?', id);
    expect(kept!.len).toBe(marked.data.length);

    // Another page's compression (a caller's mistake) is not stored under this page.
    const other = makeCapture({ seed: 22, originalHtml: `${page}<!-- another page -->` });
    const second = archive.saveCapture({ ...other.capture, originalCompressed: ready }, other.blobs);
    expect(archive.getOriginalHtml(second.id)).toBe(`${page}<!-- another page -->`);
  });

  it('applies import options: saved date, states', () => {
    const { capture, blobs } = makeCapture({ seed: 3 });
    const { id } = archive.saveCapture(capture, blobs, { savedAt: '2019-02-03T04:05:06+02:00', read: true, archived: true, favorite: true });
    const a = archive.getArticle(id)!;
    expect(a.savedAt).toBe('2019-02-03T02:05:06.000Z');
    expect([a.read, a.archived, a.favorite]).toEqual([true, true, true]);
    expect(() => archive.saveCapture(makeCapture({ seed: 4 }).capture, [], { savedAt: 'last tuesday' })).toThrow(/savedAt "last tuesday"/);
  });

  it('strips credentials from every stored URL', () => {
    const { capture, blobs } = makeCapture({
      seed: 5,
      url: 'https://alice:hunter2@example.com/private/post',
      input: 'https://alice:hunter2@example.com/private/post',
      finalUrl: 'https://alice:hunter2@example.com/private/post?utm_source=x',
      canonicalUrl: 'https://alice:hunter2@example.com/private/post',
    });
    const { id } = archive.saveCapture(capture, blobs);
    const a = archive.getArticle(id)!;
    expect(a.url).toBe('https://example.com/private/post');
    expect(a.finalUrl).toBe('https://example.com/private/post');
    expect(a.canonicalUrl).toBe('https://example.com/private/post');
    const dump = JSON.stringify(raw('SELECT * FROM articles')) + JSON.stringify(raw('SELECT * FROM article_urls'));
    expect(dump).not.toContain('hunter2');
    expect(dump).not.toContain('alice');
  });

  it('rejects image bytes that do not match their hash, saving nothing', () => {
    const { capture, blobs } = makeCapture({ seed: 6 });
    const forged = [{ ...blobs[0]!, data: makeImageBlob(999).data }];
    expect(() => archive.saveCapture(capture, forged)).toThrow(/does not match its SHA-256/);
    expect(archive.listArticles().total).toBe(0);
  });

  it('rejects an image referenced without bytes that the archive does not have', () => {
    const { capture } = makeCapture({ seed: 7 });
    expect(() => archive.saveCapture(capture, [])).toThrow(/came without its bytes/);
    expect(archive.listArticles().total).toBe(0);
  });

  it('stores no bytes for images that failed to download', () => {
    const { capture, blobs } = makeCapture({ seed: 8 });
    capture.images = [...capture.images, { url: 'https://example.com/broken.png', error: 'HTTP 404' }];
    const { id } = archive.saveCapture(capture, blobs);
    expect(archive.getArticle(id)!.images).toHaveLength(1);
  });

  it('getArticle of an unknown id is null', () => {
    expect(archive.getArticle(12345)).toBeNull();
    expect(archive.getOriginalHtml(12345)).toBeNull();
  });
});

describe('deduplication', () => {
  it('the same article under tracking variants is stored once', () => {
    const base = 'https://blog.example.com/2024/05/post';
    const first = makeCapture({ seed: 10, url: base });
    const a = archive.saveCapture(first.capture, first.blobs);
    for (const variant of [
      `${base}/`,
      `${base}?utm_source=twitter&utm_medium=social`,
      `${base}#comments`,
      'https://BLOG.example.com:443/2024/05/post?fbclid=xyz',
      'https://me:pw@blog.example.com/2024/05/post?mc_cid=1',
    ]) {
      const again = makeCapture({ seed: 11, url: variant, finalUrl: variant, canonicalUrl: null });
      expect(archive.saveCapture(again.capture, again.blobs)).toEqual({ id: a.id, created: false, outcome: 'duplicate' });
    }
    expect(archive.listArticles().total).toBe(1);
    // Nothing of the duplicates was stored: not their images either.
    expect(raw<{ n: number }>('SELECT count(*) AS n FROM images')[0]!.n).toBe(1);
  });

  it('matches on the final URL (after redirects) and on the canonical URL', () => {
    const original = makeCapture({ seed: 12, url: 'https://t.co/abc', finalUrl: 'https://news.example.com/story', canonicalUrl: 'https://news.example.com/story?id=9' });
    const { id } = archive.saveCapture(original.capture, original.blobs);
    expect(archive.findByUrl('https://news.example.com/story/')).toBe(id);
    expect(archive.findByUrl('https://news.example.com/story?id=9&utm_campaign=x')).toBe(id);
    expect(archive.findByUrl('https://t.co/abc')).toBe(id);

    const viaCanonical = makeCapture({ seed: 13, url: 'https://amp.example.com/x', finalUrl: 'https://amp.example.com/x', canonicalUrl: 'https://news.example.com/story?id=9' });
    expect(archive.saveCapture(viaCanonical.capture, viaCanonical.blobs).outcome).toBe('duplicate');
  });

  it('ignores a canonical URL that points at the home page (a common site bug)', () => {
    const one = makeCapture({ seed: 14, url: 'https://site.example/posts/one', canonicalUrl: 'https://site.example/' });
    const two = makeCapture({ seed: 15, url: 'https://site.example/posts/two', canonicalUrl: 'https://site.example/' });
    expect(archive.saveCapture(one.capture, one.blobs).created).toBe(true);
    expect(archive.saveCapture(two.capture, two.blobs).created).toBe(true);
  });

  it('findByUrl returns null for unknown or invalid URLs', () => {
    expect(archive.findByUrl('https://nowhere.example/')).toBeNull();
    expect(archive.findByUrl('not a url')).toBeNull();
  });

  it('saving a bookmarked URL fills in its content, keeping its tags and date', () => {
    const b = archive.addBookmark({ url: 'https://example.com/later?utm_source=x', title: 'Read me later', tags: ['queue'], savedAt: '2020-01-01T00:00:00Z' });
    expect(b.created).toBe(true);
    const { capture, blobs } = makeCapture({ seed: 16, url: 'https://example.com/later' });
    tick();
    const res = archive.saveCapture(capture, blobs, { tags: ['extra'] });
    expect(res).toEqual({ id: b.id, created: false, outcome: 'upgraded' });
    const a = archive.getArticle(b.id)!;
    expect(a.status).toBe('captured');
    expect(a.title).toBe(capture.title);
    expect(a.text).toBe(capture.text);
    expect(a.tags).toEqual(['extra', 'queue']);
    expect(a.savedAt).toBe('2020-01-01T00:00:00.000Z');
  });

  it('saving a trashed URL again restores it with the fresh content', () => {
    const first = makeCapture({ seed: 17, url: 'https://example.com/come-back', title: 'Old title' });
    const { id } = archive.saveCapture(first.capture, first.blobs);
    archive.deleteArticles([id]);
    expect(archive.findByUrl('https://example.com/come-back')).toBeNull();
    expect(archive.findByUrl('https://example.com/come-back', { includeDeleted: true })).toBe(id);
    const second = makeCapture({ seed: 18, url: 'https://example.com/come-back', title: 'New title' });
    expect(archive.saveCapture(second.capture, second.blobs)).toEqual({ id, created: false, outcome: 'restored' });
    expect(archive.getArticle(id)!.title).toBe('New title');
    expect(archive.listArticles().total).toBe(1);
  });
});

describe('bookmarks', () => {
  it('are listed, searchable by title and URL, and deduplicated', () => {
    const b = archive.addBookmark({ url: 'https://docs.example.org/guide/install', title: 'Installation guide', read: true });
    expect(b).toEqual({ id: expect.any(Number), created: true, outcome: 'created' });
    expect(archive.addBookmark({ url: 'https://docs.example.org/guide/install/#top' }).outcome).toBe('duplicate');
    const page = archive.listArticles();
    expect(page.items.map((i) => [i.title, i.status, i.read])).toEqual([['Installation guide', 'bookmark', true]]);
    expect(archive.search('installation').items.map((h) => h.id)).toEqual([b.id]);
    expect(archive.search('docs.example.org').items.map((h) => h.id)).toEqual([b.id]);
    expect(archive.getOriginalHtml(b.id)).toBeNull();
  });

  it('a bookmark without a title is titled by its URL; a non-URL is refused', () => {
    const b = archive.addBookmark({ url: 'https://example.com/untitled' });
    expect(archive.getArticle(b.id)!.title).toBe('https://example.com/untitled');
    expect(() => archive.addBookmark({ url: 'just words' })).toThrow(FolioError);
  });
});

describe('images are shared and collected', () => {
  it('an image used by two articles survives deleting one of them', () => {
    const shared = makeImageBlob(500);
    const own = makeImageBlob(501);
    const a = makeCapture({ seed: 20, blobs: [shared, own] });
    const b = makeCapture({ seed: 21, blobs: [shared] });
    const idA = archive.saveCapture(a.capture, a.blobs).id;
    const idB = archive.saveCapture(b.capture, b.blobs).id;
    expect(raw<{ n: number }>('SELECT count(*) AS n FROM images')[0]!.n).toBe(2);

    archive.deleteArticles([idA]);
    // Soft delete keeps everything (it can be restored).
    expect(archive.getImage(own.sha256)).not.toBeNull();
    expect(archive.purgeDeleted()).toEqual({ articles: 1, images: 1 });
    expect(archive.getImage(own.sha256)).toBeNull();
    expect(archive.getImage(shared.sha256)).not.toBeNull();
    expect(archive.getArticle(idB)!.images.map((i) => i.sha256)).toEqual([shared.sha256]);

    archive.deleteArticles([idB]);
    expect(archive.purgeDeleted()).toEqual({ articles: 1, images: 1 });
    expect(raw<{ n: number }>('SELECT count(*) AS n FROM images')[0]!.n).toBe(0);
  });

  it('a second article can reference an image already stored without sending its bytes', () => {
    const shared = makeImageBlob(502);
    const a = makeCapture({ seed: 22, blobs: [shared] });
    archive.saveCapture(a.capture, a.blobs);
    const b = makeCapture({ seed: 23, blobs: [shared] });
    const { id } = archive.saveCapture(b.capture, []);
    expect(archive.getArticle(id)!.images.map((i) => i.sha256)).toEqual([shared.sha256]);
  });

  it('purgeDeleted(olderThan) only purges what was trashed before that time', () => {
    const one = archive.saveCapture(makeCapture({ seed: 24 }).capture, makeCapture({ seed: 24 }).blobs).id;
    const two = archive.saveCapture(makeCapture({ seed: 25 }).capture, makeCapture({ seed: 25 }).blobs).id;
    archive.deleteArticles([one]);
    tick(60 * 24 * 31);
    archive.deleteArticles([two]);
    expect(archive.purgeDeleted('2024-06-15T00:00:00Z').articles).toBe(1);
    expect(archive.restoreArticles([one, two])).toBe(1);
    expect(archive.listArticles().items.map((i) => i.id)).toEqual([two]);
  });
});

describe('refresh (replaceCapture)', () => {
  it('replaces content and images, keeps tags, states, progress and saved date', () => {
    const first = makeCapture({ seed: 30, imageCount: 2 });
    const { id } = archive.saveCapture(first.capture, first.blobs, { tags: ['keep'] });
    archive.setFlags([id], { favorite: true });
    archive.setProgress(id, 0.4);
    tick(10);
    const next = makeCapture({ seed: 31, imageCount: 1, url: first.capture.url, title: 'Updated title' });
    const a = archive.replaceCapture(id, next.capture, next.blobs);
    expect(a.title).toBe('Updated title');
    expect(a.text).toBe(next.capture.text);
    expect(a.tags).toEqual(['keep']);
    expect(a.favorite).toBe(true);
    expect(a.readingProgress).toBe(0.4);
    expect(a.savedAt).toBe('2024-06-01T10:00:00.000Z');
    expect(a.updatedAt).toBe('2024-06-01T10:10:00.000Z');
    expect(a.images.map((i) => i.sha256)).toEqual([next.blobs[0]!.sha256]);
    // The first capture's images are used by no one now.
    for (const b of first.blobs) expect(archive.getImage(b.sha256)).toBeNull();
    expect(() => archive.replaceCapture(9999, next.capture, next.blobs)).toThrow(/no article 9999/);
  });
});

describe('states, tags and the trash', () => {
  function seed(n: number): number[] {
    const ids: number[] = [];
    for (let i = 0; i < n; i++) {
      const { capture, blobs } = makeCapture({ seed: 100 + i, host: i % 2 ? 'odd.example.com' : 'www.even.example' });
      ids.push(archive.saveCapture(capture, blobs).id);
      tick();
    }
    return ids;
  }

  it('setFlags, setProgress update only live articles and bump updatedAt', () => {
    const [a, b, c] = seed(3);
    tick(5);
    expect(archive.setFlags([a!, b!], { read: true, favorite: true })).toBe(2);
    expect(archive.setFlags([a!], {})).toBe(0);
    archive.deleteArticles([c!]);
    expect(archive.setFlags([c!], { read: true })).toBe(0);
    const got = archive.getArticle(a!)!;
    expect([got.read, got.favorite, got.archived]).toEqual([true, true, false]);
    expect(got.updatedAt).toBe(clock.toISOString());
    archive.setProgress(a!, 1.7);
    expect(archive.getArticle(a!)!.readingProgress).toBe(1);
    expect(() => archive.setProgress(a!, Number.NaN)).toThrow(/must be a number/);
    expect(() => archive.setProgress(9999, 0.5)).toThrow(FolioError);
  });

  it('tags: set, add, remove, normalised, listed with live counts, orphans dropped', () => {
    const [a, b, c] = seed(3);
    expect(archive.setTags(a!, ['  Rust ', 'rust', 'Systems']).tags).toEqual(['rust', 'systems']);
    expect(archive.addTags([a!, b!, c!], ['Rust', 'to-read'])).toBe(3);
    expect(archive.addTags([a!], ['rust'])).toBe(0);
    expect(archive.removeTags([b!, c!], ['TO-READ'])).toBe(2);
    expect(archive.listTags()).toEqual([
      { tag: 'rust', count: 3 },
      { tag: 'systems', count: 1 },
      { tag: 'to-read', count: 1 },
    ]);
    archive.deleteArticles([a!]);
    expect(archive.listTags()).toEqual([{ tag: 'rust', count: 2 }]);
    archive.purgeDeleted();
    expect(raw<{ name: string }>('SELECT name FROM tags ORDER BY name').map((r) => r.name)).toEqual(['rust']);
    expect(() => archive.setTags(a!, ['x'])).toThrow(/no article/);
  });

  it('tags are counted from the tag index and the trash, never by reading each tagged article', () => {
    const ids = seed(6);
    archive.addTags(ids, ['all']);
    archive.addTags(ids.slice(0, 2), ['pair']);
    archive.addTags([ids[5]!], ['last']);
    archive.deleteArticles([ids[0]!, ids[5]!]);
    expect(archive.listTags()).toEqual([
      { tag: 'all', count: 4 },
      { tag: 'pair', count: 1 },
    ]);
    const plan = raw<{ detail: string }>(`EXPLAIN QUERY PLAN ${TAG_COUNTS_SQL}`).map((r) => r.detail);
    expect(plan).toContain('SCAN article_tags USING COVERING INDEX article_tags_tag');
    expect(plan).toContain('SEARCH a USING COVERING INDEX articles_trash (deleted_at>?)');
    expect(plan.filter((d) => /^(SCAN|SEARCH) a USING INTEGER PRIMARY KEY/.test(d))).toEqual([]);
    archive.restoreArticles([ids[5]!]);
    expect(archive.listTags()).toEqual([
      { tag: 'all', count: 5 },
      { tag: 'last', count: 1 },
      { tag: 'pair', count: 1 },
    ]);
  });

  it('listSites groups by host without www.', () => {
    seed(5);
    expect(archive.listSites()).toEqual([
      { site: 'even.example', count: 3 },
      { site: 'odd.example.com', count: 2 },
    ]);
  });

  it('trash hides articles from list and search; restore brings them back', () => {
    const ids = seed(3);
    const title = archive.getArticle(ids[0]!)!.title;
    expect(archive.deleteArticles([ids[0]!])).toBe(1);
    expect(archive.deleteArticles([ids[0]!])).toBe(0);
    expect(archive.listArticles().items.map((i) => i.id)).not.toContain(ids[0]);
    expect(archive.search(`title:"${title}"`).items.map((i) => i.id)).not.toContain(ids[0]);
    expect(archive.getArticle(ids[0]!)).toBeNull();
    expect(archive.getArticle(ids[0]!, { includeDeleted: true })!.id).toBe(ids[0]);
    expect(archive.restoreArticles([ids[0]!])).toBe(1);
    expect(archive.search(`title:"${title}"`).items.map((i) => i.id)).toContain(ids[0]);
  });
});

describe('listing', () => {
  it('pages, sorts and filters', () => {
    const ids: number[] = [];
    for (let i = 0; i < 7; i++) {
      const { capture, blobs } = makeCapture({ seed: 200 + i, title: `Title ${String.fromCharCode(71 - i)}`, publishedTime: `2021-0${i + 1}-01T00:00:00Z`, host: i < 3 ? 'a.example' : 'b.example' });
      ids.push(archive.saveCapture(capture, blobs, { tags: i % 2 ? ['odd'] : [] }).id);
      tick();
    }
    archive.setFlags([ids[0]!, ids[1]!], { read: true });
    archive.setFlags([ids[2]!], { archived: true });
    archive.setFlags([ids[3]!], { favorite: true });

    const first = archive.listArticles({ limit: 3 });
    expect(first.total).toBe(7);
    expect(first.items.map((i) => i.id)).toEqual([ids[6], ids[5], ids[4]]);
    expect(archive.listArticles({ limit: 3, offset: 6 }).items.map((i) => i.id)).toEqual([ids[0]]);
    expect(archive.listArticles({ order: 'asc', limit: 2 }).items.map((i) => i.id)).toEqual([ids[0], ids[1]]);
    expect(archive.listArticles({ sort: 'title' }).items.map((i) => i.title)).toEqual(['Title A', 'Title B', 'Title C', 'Title D', 'Title E', 'Title F', 'Title G']);
    expect(archive.listArticles({ sort: 'published', limit: 1 }).items[0]!.id).toBe(ids[6]);
    expect(archive.listArticles({ state: 'read' }).items.map((i) => i.id).sort()).toEqual([ids[0], ids[1]].sort());
    expect(archive.listArticles({ state: 'unread' }).total).toBe(5);
    expect(archive.listArticles({ state: 'archived' }).items.map((i) => i.id)).toEqual([ids[2]]);
    expect(archive.listArticles({ state: 'favorite' }).items.map((i) => i.id)).toEqual([ids[3]]);
    expect(archive.listArticles({ tag: 'ODD' }).items.map((i) => i.id)).toEqual([ids[5], ids[3], ids[1]]);
    expect(archive.listArticles({ site: 'a.example' }).total).toBe(3);
    expect(archive.listArticles({ tag: '   ' }).total).toBe(0);
    expect(archive.listArticles({ limit: 100_000 }).limit).toBe(500);
  });

  it('the default sort (and the others) walk an index: no temp B-tree', () => {
    for (let i = 0; i < 5; i++) archive.saveCapture(makeCapture({ seed: 300 + i }).capture, makeCapture({ seed: 300 + i }).blobs);
    const plan = archive.explainList({});
    expect(plan.join('\n')).toMatch(/USING (COVERING )?INDEX articles_live_saved/);
    expect(plan.join('\n')).not.toMatch(/TEMP B-TREE/);
    for (const sort of ['published', 'title'] as const) {
      for (const order of ['asc', 'desc'] as const) {
        const p = archive.explainList({ sort, order }).join('\n');
        expect(p).toMatch(/USING (COVERING )?INDEX articles_live_/);
        expect(p).not.toMatch(/TEMP B-TREE/);
      }
    }
    expect(archive.explainList({ state: 'unread' }).join('\n')).not.toMatch(/TEMP B-TREE/);
  });

  it('iterateArticles yields full articles in id order, filtered, skipping the trash', () => {
    const ids: number[] = [];
    for (let i = 0; i < 230; i++) {
      const { capture } = makeCapture({ seed: 400 + i, imageCount: 0, words: 20 });
      ids.push(archive.saveCapture(capture, [], { tags: i % 3 === 0 ? ['third'] : [] }).id);
    }
    archive.deleteArticles([ids[5]!]);
    const all = [...archive.iterateArticles()];
    expect(all).toHaveLength(229);
    expect(all.map((a) => a.id)).toEqual(ids.filter((id) => id !== ids[5]));
    expect(all[0]!.text.length).toBeGreaterThan(0);
    expect([...archive.iterateArticles({ tag: 'third' })].length).toBe(77);
    expect([...archive.iterateArticles({ ids: [ids[1]!, ids[5]!, ids[200]!] })].map((a) => a.id)).toEqual([ids[1], ids[200]]);
  });
});

describe('stats and settings', () => {
  it('stats count what is live', () => {
    const a = makeCapture({ seed: 500, imageCount: 2 });
    const id = archive.saveCapture(a.capture, a.blobs, { tags: ['x'] }).id;
    archive.addBookmark({ url: 'https://example.com/bm', read: true });
    const gone = makeCapture({ seed: 501, imageCount: 0 });
    archive.deleteArticles([archive.saveCapture(gone.capture, []).id]);
    archive.setFlags([id], { favorite: true, archived: true });
    archive.queue.enqueue([{ input: 'https://example.com/q1' }, { input: 'https://example.com/q2' }]);
    const s = archive.stats();
    expect(s).toMatchObject({ articles: 1, bookmarks: 1, unread: 1, archived: 1, favorites: 1, tags: 1, images: 2 });
    expect(s.imageBytes).toBe(a.blobs.reduce((n, b) => n + b.data.byteLength, 0));
    expect(s.fileBytes).toBeGreaterThan(4096);
    expect(s.queue).toEqual({ pending: 2, running: 0, failed: 0, done: 0 });
  });

  it('settings merge stored values over the defaults and validate updates', () => {
    expect(archive.getSettings()).toEqual(DEFAULT_SETTINGS);
    expect(archive.updateSettings({ theme: 'dark', fontSize: 20 })).toEqual({ ...DEFAULT_SETTINGS, theme: 'dark', fontSize: 20 });
    expect(() => archive.updateSettings({ fontSize: 200 })).toThrow(/fontSize/);
    expect(() => archive.updateSettings({ colour: 'red' } as never)).toThrow(FolioError);
    archive.close();
    // A value this version does not accept (say, from a newer Folio) falls back to its default alone.
    const db = new Database(join(dir, 'folio.db'));
    db.prepare(`UPDATE settings SET value = '"neon"' WHERE key = 'theme'`).run();
    db.close();
    archive = openArchive(join(dir, 'folio.db'));
    expect(archive.getSettings()).toEqual({ ...DEFAULT_SETTINGS, fontSize: 20 });
  });
});
