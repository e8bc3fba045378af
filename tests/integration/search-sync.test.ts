import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Archive } from '../../app/store/archive.js';
import { LATEST_SCHEMA_VERSION } from '../../app/store/migrations/index.js';
import { openArchive } from '../../app/store/open-archive.js';
import { makeCapture } from '../helpers/make-capture.js';
import { dropBigramLookup, dropHostKey, restoreSearchInsertTrigger } from '../helpers/old-schema.js';

/**
 * The full-text indexes must follow every change of the articles: insert, retitle (refresh),
 * retag, soft delete and restore, purge, refresh. Checked through search results and FTS5's
 * own integrity-check, run on a second, raw connection exactly as the issue states it.
 */
let dir: string;
let archive: Archive;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'folio-sync-'));
  archive = openArchive(join(dir, 'folio.db'));
});
afterEach(() => {
  archive.close();
  rmSync(dir, { recursive: true, force: true });
});

function integrityCheck(): void {
  const db = new Database(archive.path);
  try {
    db.prepare(`INSERT INTO article_fts(article_fts) VALUES('integrity-check')`).run();
    db.prepare(`INSERT INTO article_trigram(article_trigram) VALUES('integrity-check')`).run();
    // rank = 1: also compare each index with its content table, row by row.
    db.prepare(`INSERT INTO article_fts(article_fts, rank) VALUES('integrity-check', 1)`).run();
    db.prepare(`INSERT INTO article_trigram(article_trigram, rank) VALUES('integrity-check', 1)`).run();
  } finally {
    db.close();
  }
  expect(archive.checkIntegrity()).toEqual([]);
}

const ids = (q: string) => archive.search(q).items.map((h) => h.id);

describe('FTS stays in sync', () => {
  it('through insert, retitle, retag, soft delete, restore, refresh and purge', () => {
    const a = makeCapture({ seed: 1, title: 'Quasar observations', text: 'Astronomers watched a distant quasar flicker.', words: 0 });
    const b = makeCapture({ seed: 2, title: 'Sourdough basics', text: 'A starter, flour and patience: 図書館で読んだ本のレシピ.', words: 0 });
    const idA = archive.saveCapture(a.capture, a.blobs, { tags: ['space'] }).id;
    const idB = archive.saveCapture(b.capture, b.blobs).id;
    expect(ids('quasar')).toEqual([idA]);
    expect(ids('sourdough')).toEqual([idB]);
    expect(ids('図書館')).toEqual([idB]);
    expect(ids('space')).toEqual([idA]);
    integrityCheck();

    // Retitle + new body (refresh with a new capture).
    const a2 = makeCapture({ seed: 3, url: a.capture.url, title: 'Pulsar timing', text: 'Radio telescopes time a pulsar to the nanosecond.', words: 0 });
    archive.replaceCapture(idA, a2.capture, a2.blobs);
    expect(ids('quasar')).toEqual([]);
    expect(ids('title:pulsar')).toEqual([idA]);
    expect(ids('nanosecond')).toEqual([idA]);
    expect(ids('space')).toEqual([idA]); // tags survive a refresh, in the index too
    integrityCheck();

    // Retag: old tag words leave the index, new ones arrive.
    archive.setTags(idA, ['astronomy', 'radio waves']);
    expect(ids('space')).toEqual([]);
    expect(ids('astronomy')).toEqual([idA]);
    expect(ids('waves')).toEqual([idA]);
    archive.addTags([idA, idB], ['weekend']);
    expect(ids('weekend').sort()).toEqual([idA, idB].sort());
    archive.removeTags([idA], ['weekend']);
    expect(ids('weekend')).toEqual([idB]);
    integrityCheck();

    // Soft delete hides, restore shows, and the index is left consistent either way.
    archive.deleteArticles([idB]);
    expect(ids('sourdough')).toEqual([]);
    expect(ids('図書館')).toEqual([]);
    expect(ids('weekend')).toEqual([]);
    integrityCheck();
    archive.restoreArticles([idB]);
    expect(ids('sourdough')).toEqual([idB]);
    expect(ids('図書館')).toEqual([idB]);

    // Refresh of a CJK article: the trigram index follows.
    const b2 = makeCapture({ seed: 4, url: b.capture.url, title: 'Sourdough basics', text: '博物館の展示について。', words: 0 });
    archive.replaceCapture(idB, b2.capture, b2.blobs);
    expect(ids('図書館')).toEqual([]);
    expect(ids('博物館')).toEqual([idB]);
    integrityCheck();

    // Purge removes the rows from both indexes for good.
    archive.deleteArticles([idA, idB]);
    expect(archive.purgeDeleted().articles).toBe(2);
    integrityCheck();
    const db = new Database(archive.path, { readonly: true });
    expect(db.prepare(`SELECT count(*) AS n FROM article_fts WHERE article_fts MATCH 'pulsar'`).get()).toEqual({ n: 0 });
    expect(db.prepare(`SELECT count(*) AS n FROM article_trigram WHERE article_trigram MATCH '"博物館"'`).get()).toEqual({ n: 0 });
    expect(db.prepare(`SELECT count(*) AS n FROM article_search`).get()).toEqual({ n: 0 });
    db.close();
  });

  it('bookmark upgraded to a capture becomes searchable by its body', () => {
    const b = archive.addBookmark({ url: 'https://example.com/later', title: 'Later' });
    expect(ids('hyperbolic')).toEqual([]);
    const c = makeCapture({ seed: 5, url: 'https://example.com/later', text: 'Hyperbolic geometry for beginners.', words: 0 });
    archive.saveCapture(c.capture, c.blobs);
    expect(ids('hyperbolic')).toEqual([b.id]);
    integrityCheck();
  });

  it('many changes in a row keep both indexes consistent', () => {
    const made: number[] = [];
    for (let i = 0; i < 40; i++) {
      const c = makeCapture({ seed: 100 + i, words: 80, text: i % 4 === 0 ? `東京の図書館 ${i}` : undefined });
      made.push(archive.saveCapture(c.capture, c.blobs, { tags: [`t${i % 5}`] }).id);
    }
    for (let i = 0; i < 40; i += 3) archive.setTags(made[i]!, [`n${i}`]);
    archive.deleteArticles(made.filter((_, i) => i % 7 === 0));
    archive.purgeDeleted();
    for (let i = 1; i < 40; i += 5) {
      if (i % 7 === 0) continue; // purged above
      const c = makeCapture({ seed: 900 + i, words: 50 });
      archive.replaceCapture(made[i]!, c.capture, c.blobs);
    }
    integrityCheck();
    expect(ids('図書館').length).toBe(made.filter((_, i) => i % 4 === 0 && i % 7 !== 0 && i % 5 !== 1).length);
  });
});

describe('search rows written directly to the indexes (migration 0006)', () => {
  it('a batch of new articles becomes one FTS5 segment, not one per article', () => {
    const batch = Array.from({ length: 50 }, (_, i) => {
      const { capture, blobs } = makeCapture({ seed: 300 + i, words: 60, text: i % 5 === 0 ? `図書館の本 ${i}` : undefined });
      return { capture, blobs, options: { tags: [`t${i % 3}`] } };
    });
    expect(archive.saveCaptures(batch).every((r) => r.ok)).toBe(true);
    const db = new Database(archive.path, { readonly: true });
    try {
      // Through a trigger each row ran under a statement savepoint, where FTS5 flushes: 50 segments (fewer after merges).
      expect(db.prepare('SELECT count(DISTINCT segid) AS n FROM article_fts_idx').get()).toEqual({ n: 1 });
      expect(db.prepare('SELECT count(DISTINCT segid) AS n FROM article_trigram_idx').get()).toEqual({ n: 1 });
    } finally {
      db.close();
    }
    expect(archive.search('tag:t1').total).toBe(17);
    expect(ids('図書館').length).toBe(10);
    integrityCheck();
  });

  it('an archive from before it loses the insert trigger, keeps its index, and indexes new articles', () => {
    const old = makeCapture({ seed: 7, title: 'Glacier survey', text: 'Surveyors measured the glacier retreat.', words: 0 });
    const oldId = archive.saveCapture(old.capture, old.blobs, { tags: ['ice'] }).id;
    archive.close();
    const raw = new Database(join(dir, 'folio.db'));
    // As schema 5 left the file: the insert trigger of migration 0002 in place.
    restoreSearchInsertTrigger(raw);
    dropBigramLookup(raw);
    dropHostKey(raw);
    raw.pragma('user_version = 5');
    raw.close();

    archive = openArchive(join(dir, 'folio.db'));
    const check = new Database(archive.path, { readonly: true });
    try {
      expect(check.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
      expect(check.prepare(`SELECT name FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'article_search' ORDER BY name`).all()).toEqual([
        { name: 'article_search_ad' },
        { name: 'article_search_au_trigram' },
        { name: 'article_search_au_words' },
      ]);
    } finally {
      check.close();
    }
    expect(ids('glacier')).toEqual([oldId]);
    const added = makeCapture({ seed: 8, title: 'Moraine map', text: 'A map of the moraine, 氷河の地図.', words: 0 });
    const newId = archive.saveCapture(added.capture, added.blobs, { tags: ['ice'] }).id;
    expect(ids('moraine')).toEqual([newId]);
    expect(ids('氷河')).toEqual([newId]);
    expect(ids('tag:ice').sort()).toEqual([oldId, newId].sort());
    integrityCheck();
  });
});
