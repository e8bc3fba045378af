import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Archive } from '../../app/store/archive.js';
import { isBigram } from '../../app/store/bigram-lookup.js';
import { openArchive } from '../../app/store/open-archive.js';
import { makeCapture } from '../helpers/make-capture.js';

/**
 * Two-character CJK terms are found from indexes (app/store/bigram-lookup.ts, migration 0007):
 * trigram terms that start with the term, plus columns that end with it. Here every two
 * characters that occur anywhere in the fixture's titles, bylines and bodies are searched, alone
 * and limited to title and author, and each answer must be exactly what a plain substring test
 * (`instr`) over the same columns gives: same articles, same total.
 *
 * The fixture puts terms where the lookup has to be right: at the start, middle and end of a
 * title, a byline and a body; at the end of a run followed by Latin text, by a newline (runs
 * the body had apart) and by nothing; as a whole column (a two-character title); doubled (東京東京);
 * in a trashed article; and after many different characters: a term followed by dozens of
 * distinct ones (one MATCH of them all), and one followed by 150 (the index's instance list).
 */

let dir: string;
let archive: Archive;
let reference: Database.Database;

const FOLLOWERS = 'のにはをがでとへやもかな都駅湾大人港市区府線方面';
const ARTICLES: { title: string; byline?: string; text: string; trash?: boolean }[] = [
  { title: '東京', text: 'A title that is the whole term.' },
  { title: '東京の図書館', byline: '田中 花子', text: '市立図書館は来月から電子書籍の貸し出しを始めます。' },
  { title: 'Tokyo notes', byline: '東京新聞', text: 'Plain English text about a trip.' },
  { title: 'Kitchen diaries', byline: 'Grace', text: 'Bread baking in winter. 東京で食べたパンの話。 Then some English. 大阪' },
  { title: 'Train journal', text: '新幹線で大阪へ行った。\n\nAn English paragraph between the runs.\n\n帰りは東京' },
  { title: 'Doubled', text: '東京東京 and 京東 with 東 and 京 apart' },
  { title: '研究者の記録', byline: 'Lab 研究', text: '研究者たちは地域の歴史資料をデジタル化している。研究' },
  { title: 'Trashed one', byline: '東京', text: '東京タワーの話。', trash: true },
  { title: 'Hangul', text: '연구자들은 서울에서 연구했다. 연구' },
  { title: 'Many followers', text: [...FOLLOWERS].map((c) => `東京${c}`).join(' ') },
  // More followers than one MATCH takes: the lookup reads the index's instance list instead.
  { title: 'Very many followers', byline: '大阪', text: Array.from({ length: 150 }, (_, i) => `大阪${String.fromCodePoint(0x4e00 + 3 * i)}`).join(' ') },
  { title: 'English only', byline: 'Writer', text: 'No Japanese text here at all.' },
];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'folio-search-bigram-'));
  const file = join(dir, 'folio.db');
  archive = openArchive(file);
  const trash: number[] = [];
  ARTICLES.forEach((a, i) => {
    const { capture, blobs } = makeCapture({ seed: 40 + i, title: a.title, byline: a.byline ?? null, text: a.text, words: 20 });
    const { id } = archive.saveCapture(capture, blobs, { savedAt: new Date(Date.UTC(2024, 0, 1 + i)).toISOString() });
    if (a.trash) trash.push(id);
  });
  archive.deleteArticles(trash);
  reference = new Database(file, { readonly: true });
});

afterAll(() => {
  reference?.close();
  archive?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Every two consecutive characters of the fixture that the lookup applies to. */
function bigramsOfFixture(): string[] {
  const found = new Set<string>();
  for (const a of ARTICLES) {
    for (const text of [a.title, a.byline ?? '', a.text]) {
      const chars = [...text];
      for (let i = 0; i + 1 < chars.length; i++) {
        const pair = chars[i]! + chars[i + 1]!;
        if (isBigram(pair)) found.add(pair);
      }
    }
  }
  return [...found].sort();
}

const COLUMNS = { all: ['title', 'byline', 'cjk_text'], title: ['title'], author: ['byline'] } as const;

/** The live articles holding `needle` in the columns, by a plain substring test, newest first. */
function expected(needle: string, field: keyof typeof COLUMNS): number[] {
  const tests = COLUMNS[field].map((c) => `instr(s.${c}, ?) > 0`).join(' OR ');
  return reference
    .prepare(
      `SELECT a.id FROM articles a JOIN article_search s ON s.article_id = a.id
        WHERE a.deleted_at IS NULL AND (${tests}) ORDER BY a.saved_at DESC, a.id DESC`,
    )
    .pluck()
    .all(...COLUMNS[field].map(() => needle)) as number[];
}

describe('two-character CJK terms', () => {
  const bigrams = bigramsOfFixture();

  it('the fixture has the cases it is meant to have', () => {
    expect(bigrams.length).toBeGreaterThan(60);
    expect(bigrams).toEqual(expect.arrayContaining(['東京', '新聞', '花子', '大阪', '研究', '연구', '京東']));
    // The lookup answers them from the trigram index: dozens of terms start with 東京.
    expect(reference.prepare(`SELECT count(*) FROM article_trigram_vocab WHERE term >= '東京' AND term <= '東京\u{10ffff}'`).pluck().get()).toBeGreaterThan(FOLLOWERS.length);
  });

  it.each(['all', 'title', 'author'] as const)('every one of them finds what a substring test finds (%s)', (field) => {
    const prefix = field === 'all' ? '' : `${field}:`;
    const wrong: { q: string; got: number[]; want: number[]; total: number }[] = [];
    for (const pair of bigrams) {
      const q = `${prefix}${pair}`;
      const page = archive.search(q, { limit: 200 });
      const got = page.items.map((h) => h.id);
      const want = expected(pair, field);
      if (JSON.stringify(got) !== JSON.stringify(want) || page.total !== want.length) wrong.push({ q, got, want, total: page.total });
    }
    expect(wrong).toEqual([]);
  });

  it('a term followed by many different characters is read from the instance list, with the same answers', () => {
    expect(archive.explainSearch('大阪')).toContainEqual(expect.stringMatching(/^SCAN article_trigram_instances VIRTUAL TABLE INDEX/));
    expect(archive.explainSearch('東京')).toContainEqual(expect.stringMatching(/^SCAN article_trigram VIRTUAL TABLE INDEX \d+:M/));
    const titles = (q: string) => archive.search(q).items.map((h) => h.title).sort();
    expect(titles('大阪')).toEqual(['Kitchen diaries', 'Train journal', 'Very many followers']);
    expect(titles('author:大阪')).toEqual(['Very many followers']);
  });

  it('finds a term at the very end of a column, where no trigram starts with it', () => {
    const titles = (q: string) => archive.search(q).items.map((h) => h.title).sort();
    expect(titles('新聞')).toEqual(['Tokyo notes']); // end of the byline 東京新聞
    expect(titles('花子')).toEqual(['東京の図書館']); // end of the byline 田中 花子
    expect(titles('title:大阪')).toEqual([]);
    expect(titles('author:大阪')).toEqual(['Very many followers']); // a byline that is the whole term
    expect(titles('title:東京')).toEqual(['東京', '東京の図書館']); // a title that is the whole term
    expect(titles('東京')).not.toContain('Trashed one');
  });
});
