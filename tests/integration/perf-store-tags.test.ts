import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Archive } from '../../app/store/archive.js';
import { openArchive } from '../../app/store/open-archive.js';
import { makeCapture } from '../helpers/make-capture.js';

// Issue #6: a tagged save must index its text once. Tagging after the search row existed made
// FTS5 delete and re-index the whole text (an UPDATE of article_search); the save now tags
// first and inserts the search row with its tags. Counted with a TEMP trigger on the archive's
// own connection, so the test sees every UPDATE the save issues.
let dir: string;
let archive: Archive;
let db: Database.Database;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'folio-perf-tags-'));
  archive = openArchive(join(dir, 'folio.db'));
  db = (archive as unknown as { db: Database.Database }).db;
  db.exec(`CREATE TEMP TABLE search_updates (n INTEGER);
           CREATE TEMP TRIGGER count_search_updates AFTER UPDATE ON main.article_search
           BEGIN INSERT INTO search_updates VALUES (1); END;`);
});
afterEach(() => {
  archive.close();
  rmSync(dir, { recursive: true, force: true });
});

const updates = () => (db.prepare('SELECT count(*) AS n FROM temp.search_updates').get() as { n: number }).n;
const ftsIntact = () => db.exec("INSERT INTO article_fts (article_fts) VALUES ('integrity-check')");

describe('tagged saves index the text once (issue #6)', () => {
  it('saveCapture with tags writes the search row with its tags and never rewrites it', () => {
    const { capture, blobs } = makeCapture({ seed: 71, words: 300 });
    const { id } = archive.saveCapture(capture, blobs, { tags: ['Zeppelin', 'research'] });
    expect(updates()).toBe(0);
    const row = db.prepare('SELECT tags FROM article_search WHERE article_id = ?').get(id) as { tags: string };
    expect(row.tags).toBe('research zeppelin');
    expect(archive.search('tag:zeppelin').items.map((h) => h.id)).toEqual([id]);
    expect(archive.search('zeppelin').items.map((h) => h.id)).toEqual([id]); // tag words are searchable text
    expect(() => ftsIntact()).not.toThrow();
  });

  it('addBookmark with tags does the same', () => {
    const { id } = archive.addBookmark({ url: 'https://example.com/a/b', title: 'Airships', tags: ['zeppelin'] });
    expect(updates()).toBe(0);
    expect(archive.search('zeppelin').items.map((h) => h.id)).toEqual([id]);
    expect(() => ftsIntact()).not.toThrow();
  });

  it('retagging still updates the search text (the trigger path stays in use)', () => {
    const { capture, blobs } = makeCapture({ seed: 72, words: 50 });
    const { id } = archive.saveCapture(capture, blobs, { tags: ['first'] });
    archive.setTags(id, ['second']);
    expect(updates()).toBe(1);
    expect(archive.search('tag:first').total).toBe(0);
    expect(archive.search('second').items.map((h) => h.id)).toEqual([id]);
    expect(() => ftsIntact()).not.toThrow();
  });

  it('an untagged save still gets an empty tags column', () => {
    const { capture, blobs } = makeCapture({ seed: 73, words: 50 });
    const { id } = archive.saveCapture(capture, blobs);
    const row = db.prepare('SELECT tags FROM article_search WHERE article_id = ?').get(id) as { tags: string };
    expect(row.tags).toBe('');
    expect(updates()).toBe(0);
  });
});
