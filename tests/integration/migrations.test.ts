import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, runMigrations, type Migration } from '../../app/store/migrations/index.js';
import { FOLIO_APPLICATION_ID, openArchive } from '../../app/store/open-archive.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'folio-migrations-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function tables(db: Database.Database): string[] {
  return (db.prepare(`SELECT name FROM sqlite_schema WHERE type IN ('table') AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as { name: string }[]).map(
    (r) => r.name,
  );
}

/** An archive file left at schema `version`, holding one captured article with one tag. */
function archiveAtVersion(file: string, version: number, a: { title: string; byline: string; site: string; tag: string }): void {
  const db = new Database(file);
  db.pragma(`application_id = ${FOLIO_APPLICATION_ID}`);
  runMigrations(db, MIGRATIONS.slice(0, version));
  expect(db.pragma('user_version', { simple: true })).toBe(version);
  db.prepare(
    `INSERT INTO articles (status, input, url, final_url, host, title, byline, site_name, saved_at, updated_at)
     VALUES ('captured', 'https://example.com/old', 'https://example.com/old', 'https://example.com/old', 'example.com',
             ?, ?, ?, '2020-01-01T00:00:00.000Z', '2020-01-01T00:00:00.000Z')`,
  ).run(a.title, a.byline, a.site);
  db.prepare(`INSERT INTO tags (name) VALUES (?)`).run(a.tag);
  db.prepare(`INSERT INTO article_tags (article_id, tag_id) VALUES (1, 1)`).run();
  db.close();
}

describe('migrations', () => {
  it('are numbered 1..n without gaps, one file each, named after their number', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(LATEST_SCHEMA_VERSION).toBe(MIGRATIONS.length);
    const files = readdirSync(join(import.meta.dirname, '../../app/store/migrations')).filter((f) => /^\d{4}-/.test(f));
    expect(files.map((f) => Number(f.slice(0, 4)))).toEqual(MIGRATIONS.map((m) => m.version));
    expect(files.map((f) => f.replace(/^\d{4}-|\.ts$/g, ''))).toEqual(MIGRATIONS.map((m) => m.name));
  });

  it('build the whole schema on a new file and record the version', () => {
    const db = new Database(join(dir, 'a.db'));
    expect(runMigrations(db)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    expect(tables(db)).toEqual(
      expect.arrayContaining(['articles', 'article_bodies', 'article_sources', 'article_urls', 'images', 'article_images', 'tags', 'article_tags', 'article_search', 'article_fts', 'article_trigram', 'capture_queue', 'settings']),
    );
    // Running again does nothing.
    expect(runMigrations(db)).toEqual([]);
    db.close();
  });

  it('upgrade an archive step by step, keeping its data (v1 → latest)', () => {
    const file = join(dir, 'old.db');
    archiveAtVersion(file, 1, { title: 'An archive from the first schema', byline: 'Old Writer', site: 'Old Site', tag: 'vintage' });

    const archive = openArchive(file);
    try {
      expect(archive.connectionInfo().schemaVersion).toBe(LATEST_SCHEMA_VERSION);
      const a = archive.getArticle(1)!;
      expect(a.title).toBe('An archive from the first schema');
      expect(a.tags).toEqual(['vintage']);
      // Migration 0002 indexed the existing article's metadata.
      expect(archive.search('first schema').items.map((h) => h.id)).toEqual([1]);
      expect(archive.search('vintage').items.map((h) => h.id)).toEqual([1]);
      expect(archive.search('site:"Old Site"').total).toBe(1);
      expect(archive.checkIntegrity()).toEqual([]);
    } finally {
      archive.close();
    }
  });

  // Every earlier schema, not only the first: an archive left at version k (with an article, a
  // tag and, from v3 on, a queued job) opens at the latest version with all of it intact.
  it.each(MIGRATIONS.slice(0, -1).map((m) => m.version))('upgrade an archive left at v%i to the latest, keeping its data', (version) => {
    const file = join(dir, `v${version}.db`);
    archiveAtVersion(file, version, { title: 'Kept across schema versions', byline: 'Writer', site: 'Site', tag: 'kept' });

    const archive = openArchive(file);
    try {
      expect(archive.connectionInfo().schemaVersion).toBe(LATEST_SCHEMA_VERSION);
      expect(archive.getArticle(1)).toMatchObject({ title: 'Kept across schema versions', tags: ['kept'] });
      expect(archive.listArticles().total).toBe(1);
      expect(archive.checkIntegrity()).toEqual([]);
    } finally {
      archive.close();
    }
  });

  it('apply each step in one transaction: a failing step leaves no trace and the version unchanged', () => {
    const db = new Database(join(dir, 'fail.db'));
    runMigrations(db);
    const broken: Migration = {
      version: LATEST_SCHEMA_VERSION + 1,
      name: 'broken',
      up(d) {
        d.exec('CREATE TABLE half_done (x)');
        d.exec('INSERT INTO no_such_table VALUES (1)');
      },
    };
    expect(() => runMigrations(db, [...MIGRATIONS, broken])).toThrow(/no_such_table/);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    expect(tables(db)).not.toContain('half_done');
    db.close();
  });

  it('refuse to skip a version', () => {
    const db = new Database(join(dir, 'gap.db'));
    const gap: Migration = { version: 2, name: 'gap', up() {} };
    expect(() => runMigrations(db, [gap])).toThrow(/expects version 1, found 0/);
    db.close();
  });
});
