import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SNIPPET_MARK_END, SNIPPET_MARK_START } from '../../app/core/article.js';
import type { Archive } from '../../app/store/archive.js';
import { openArchive } from '../../app/store/open-archive.js';
import { generateText, makeCapture } from '../helpers/make-capture.js';

/**
 * One archive with a small, hand-made corpus; each test queries it. The articles' words are
 * chosen so that each feature has exactly one right answer.
 */
let dir: string;
let archive: Archive;
let clock = new Date('2024-01-10T09:00:00.000Z');
const ids: Record<string, number> = {};

interface Doc {
  key: string;
  title: string;
  text: string;
  byline?: string;
  host?: string;
  siteName?: string;
  lang?: string;
  tags?: string[];
  publishedTime?: string;
  savedAt?: string;
}

/** Neutral padding (Latin placeholder words no test searches for), so texts have a realistic length. */
const LOREM = 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua'.split(' ');
const filler = (seed: number) => Array.from({ length: 60 }, (_, i) => LOREM[(i * 7 + seed) % LOREM.length]).join(' ') + '.';

const DOCS: Doc[] = [
  { key: 'rust', title: 'Understanding the Rust borrow checker', text: `The borrow checker enforces ownership rules at compile time.\n\n${filler(1)}`, byline: 'Ada Lovelace', host: 'blog.rust-lang.org', tags: ['programming', 'rust'], publishedTime: '2023-05-01T00:00:00Z', savedAt: '2024-01-01T10:00:00Z' },
  { key: 'ml', title: 'A gentle introduction', text: `Machine learning is a field of study. We also discuss learning machines built from gears.\n\n${filler(2)}`, byline: 'Grace Hopper', host: 'ml.example.com', tags: ['ai'], publishedTime: '2022-03-01T00:00:00Z', savedAt: '2024-01-02T10:00:00Z' },
  { key: 'machines', title: 'Old learning machines', text: `Before computers, people built machines for learning arithmetic. A machine could teach.\n\n${filler(3)}`, byline: 'Ada Lovelace', host: 'history.example.org', tags: ['history'], publishedTime: '2021-01-01T00:00:00Z', savedAt: '2024-01-03T10:00:00Z' },
  { key: 'runner', title: 'Notes from a marathon', text: `She runs every morning; yesterday she ran twenty kilometres and the run felt easy.\n\n${filler(4)}`, host: 'www.sport.example', lang: 'en-GB', savedAt: '2024-01-04T10:00:00Z', publishedTime: '2024-01-01T00:00:00Z' },
  { key: 'cafe', title: 'Le café du coin', text: `Un café noir, une crème brûlée, et la lecture du journal.\n\n${filler(5)}`, host: 'paris.example.fr', siteName: 'Le Journal', lang: 'fr', tags: ['food'], savedAt: '2024-01-05T10:00:00Z' },
  { key: 'jp', title: '市立図書館の新しいサービス', text: '市立図書館は来月から電子書籍の貸し出しを始めます。東京の利用者も登録できます。', host: 'news.example.jp', lang: 'ja', savedAt: '2024-01-06T10:00:00Z' },
  { key: 'jp2', title: '駅前の話', text: '駅前に新しいカフェができました。図書室ではありません。', host: 'news.example.jp', lang: 'ja', savedAt: '2024-01-07T10:00:00Z' },
  { key: 'kitchen', title: 'Kitchen diaries', text: `Bread baking in winter, coffee in the morning, and a recipe for rust-coloured soup.\n\n${filler(6)}`, host: 'food.example.com', tags: ['food', 'recipes'], savedAt: '2024-01-08T10:00:00Z' },
  { key: 'near', title: 'Keywords as words', text: 'The station is NEAR the river, AND the bridge is NOT far. Title text column.', host: 'words.example.com', savedAt: '2024-01-09T10:00:00Z' },
];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'folio-search-'));
  archive = openArchive(join(dir, 'folio.db'), { now: () => clock });
  DOCS.forEach((d, i) => {
    const { capture, blobs } = makeCapture({
      seed: 1000 + i,
      title: d.title,
      text: d.text,
      excerpt: d.text.slice(0, 80),
      byline: d.byline ?? null,
      host: d.host ?? 'example.com',
      siteName: d.siteName ?? null,
      lang: d.lang ?? 'en',
      publishedTime: d.publishedTime ?? null,
    });
    ids[d.key] = archive.saveCapture(capture, blobs, { tags: d.tags, savedAt: d.savedAt }).id;
    clock = new Date(clock.getTime() + 60_000);
  });
  archive.setFlags([ids.rust!, ids.ml!], { read: true });
  archive.setFlags([ids.machines!], { archived: true, read: true });
  archive.setFlags([ids.cafe!], { favorite: true });
});
afterAll(() => {
  archive.close();
  rmSync(dir, { recursive: true, force: true });
});

const find = (q: string) => archive.search(q).items.map((h) => h.id);
const keys = (q: string) => find(q).map((id) => Object.keys(ids).find((k) => ids[k] === id));
const sorted = (arr: (string | undefined)[]) => [...arr].sort();

describe('search: text', () => {
  it('words are ANDed', () => {
    expect(keys('borrow checker')).toEqual(['rust']);
    expect(keys('borrow gears')).toEqual([]);
  });

  it('"exact phrase" needs the words adjacent and in order', () => {
    expect(sorted(keys('machine learning'))).toEqual(['machines', 'ml']);
    expect(keys('"machine learning"')).toEqual(['ml']);
  });

  it('-exclude and -"phrase"', () => {
    expect(keys('learning -gears')).toEqual(['machines']);
    expect(keys('learning -"machine learning"')).toEqual(['machines']);
  });

  it('exclusion only, narrowed by a filter', () => {
    expect(keys('tag:food -bread')).toEqual(['cafe']);
  });

  it('OR', () => {
    expect(sorted(keys('marathon OR ownership'))).toEqual(['runner', 'rust']);
    expect(keys('(marathon OR ownership) morning')).toEqual(['runner']);
  });

  it('prefix*', () => {
    expect(keys('kilomet*')).toEqual(['runner']);
  });

  it('stemming: running finds run, runs, ran is a different word', () => {
    expect(keys('running')).toEqual(['runner']);
    expect(keys('runs')).toEqual(['runner']);
  });

  it('diacritics are ignored both ways', () => {
    expect(keys('cafe')).toEqual(['cafe']);
    expect(keys('CRÈME brulee')).toEqual(['cafe']);
  });

  it('FTS5 keywords are plain words', () => {
    expect(keys('NEAR')).toEqual(['near']);
    expect(keys('AND NOT')).toEqual(['near']);
    expect(keys('text:column')).toEqual(['near']);
  });

  it('tags and site names are searchable as words', () => {
    expect(sorted(keys('recipes'))).toEqual(['kitchen']);
    expect(keys('journal -tag:history').includes('cafe')).toBe(true);
  });
});

describe('search: fields and filters', () => {
  it('title: and author:', () => {
    expect(keys('title:rust')).toEqual(['rust']);
    expect(sorted(keys('rust'))).toEqual(['kitchen', 'rust']);
    expect(keys('title:"learning machines"')).toEqual(['machines']);
    expect(sorted(keys('author:lovelace'))).toEqual(['machines', 'rust']);
    expect(keys('author:"Ada Lovelace" -title:borrow')).toEqual(['machines']);
  });

  it('site: host, sub-domain, www-less, site name', () => {
    expect(keys('site:rust-lang.org')).toEqual(['rust']);
    expect(keys('site:sport.example')).toEqual(['runner']);
    expect(keys('site:www.sport.example')).toEqual(['runner']);
    expect(keys('site:"le journal"')).toEqual(['cafe']);
    expect(keys('site:example')).toEqual(['runner']); // sport.example is under the name "example"
    expect(keys('site:exam')).toEqual([]);
    expect(keys('site:example.jp')).toEqual(['jp2', 'jp']);
  });

  it('tag:, -tag:', () => {
    expect(keys('tag:food')).toEqual(['kitchen', 'cafe']);
    expect(keys('tag:FOOD -tag:recipes')).toEqual(['cafe']);
    expect(keys('tag:nope')).toEqual([]);
  });

  it('lang: with sub-tags', () => {
    expect(keys('lang:en-gb')).toEqual(['runner']);
    expect(sorted(keys('lang:fr'))).toEqual(['cafe']);
    expect(keys('lang:ja')).toEqual(['jp2', 'jp']);
    expect(keys('morning lang:en -lang:en-gb')).toEqual(['kitchen']);
  });

  it('is:unread|read|archived|favorite and negations', () => {
    expect(sorted(keys('is:read'))).toEqual(['machines', 'ml', 'rust']);
    expect(keys('is:archived')).toEqual(['machines']);
    expect(keys('is:favorite')).toEqual(['cafe']);
    expect(keys('learning is:read -is:archived')).toEqual(['ml']);
    expect(keys('is:unread').length).toBe(DOCS.length - 3);
  });

  it('before:/after: on the saved date (after includes the day, before excludes it)', () => {
    expect(keys('after:2024-01-08')).toEqual(['near', 'kitchen']);
    expect(keys('before:2024-01-02')).toEqual(['rust']);
    expect(keys('after:2024-01-02 before:2024-01-04')).toEqual(['machines', 'ml']);
  });

  it('filters alone list by saved date, newest first', () => {
    expect(keys('is:unread -lang:ja -lang:fr')).toEqual(['near', 'kitchen', 'runner']);
  });

  it('sort:saved, sort:published, sort:title override relevance', () => {
    expect(keys('learning sort:saved')).toEqual(['machines', 'ml']);
    expect(keys('learning sort:published')).toEqual(['ml', 'machines']);
    expect(keys('ada OR grace sort:title')).toEqual(['ml', 'machines', 'rust']);
  });

  it('an empty query (or one reduced to nothing) matches nothing', () => {
    for (const q of ['', '   ', '*', 'OR', '-', '🎉']) {
      const page = archive.search(q);
      expect(page.items).toEqual([]);
      expect(page.total).toBe(0);
      expect(page.query.isEmpty).toBe(true);
    }
  });

  it('pages with limit/offset and reports the total', () => {
    const all = archive.search('is:unread');
    const p1 = archive.search('is:unread', { limit: 2 });
    const p2 = archive.search('is:unread', { limit: 2, offset: 2 });
    expect(p1.total).toBe(all.total);
    expect([...p1.items, ...p2.items].map((h) => h.id)).toEqual(all.items.slice(0, 4).map((h) => h.id));
    expect(archive.search('is:unread', { limit: 10_000 }).limit).toBe(200);
  });

  it('returns the parsed query with its warnings', () => {
    const page = archive.search('rust before:someday');
    expect(page.query.warnings[0]).toMatch(/before:someday/);
    expect(page.items.length).toBe(2);
  });
});

describe('search: CJK (trigram index)', () => {
  it('finds a 3+ character word inside a longer run of Japanese text', () => {
    expect(keys('図書館')).toEqual(['jp']);
    expect(keys('電子書籍')).toEqual(['jp']);
    expect(keys('利用者')).toEqual(['jp']);
  });

  it('1–2 character terms fall back to a substring scan, still correct', () => {
    expect(keys('東京')).toEqual(['jp']);
    expect(keys('駅前')).toEqual(['jp2']);
    expect(sorted(keys('図書'))).toEqual(['jp', 'jp2'].filter((k) => DOCS.find((d) => d.key === k)!.text.includes('図書')));
  });

  it('combines with words, exclusions, OR and filters', () => {
    expect(keys('図書館 lang:ja')).toEqual(['jp']);
    expect(keys('図書館 OR カフェ')).toEqual(expect.arrayContaining(['jp', 'jp2']));
    expect(keys('site:example.jp -図書館')).toEqual(['jp2']);
    expect(keys('site:example.jp -東京')).toEqual(['jp2']);
    expect(keys('図書館 borrow')).toEqual([]);
    expect(keys('title:図書館')).toEqual(['jp']);
  });

  it('snippets mark the match inside the run', () => {
    const hit = archive.search('電子書籍').items[0]!;
    expect(hit.snippet).toContain(`${SNIPPET_MARK_START}電子書籍${SNIPPET_MARK_END}`);
    const short = archive.search('東京').items[0]!;
    expect(short.snippet).toContain(`${SNIPPET_MARK_START}東京${SNIPPET_MARK_END}`);
  });
});

describe('search: ranking and snippets', () => {
  it('a title match ranks above a body-only match (bm25 weights)', () => {
    const local = openArchive(join(dir, 'rank.db'));
    try {
      // Articles without the words: a word in at least half of the archive is not ranked at all
      // (newest first, see search-common-words.test.ts).
      for (let i = 0; i < 3; i++) {
        const other = makeCapture({ seed: 7000 + i, title: `Unrelated ${i}`, text: generateText(200 + i, 80) });
        local.saveCapture(other.capture, other.blobs);
      }
      for (let round = 0; round < 4; round++) {
        const word = ['zeppelin', 'lighthouse', 'glacier', 'orchard'][round]!;
        // The body-only article mentions the word more often and is saved later (newer):
        // only the title weight can put the other one first.
        const body = makeCapture({ seed: 5000 + round, title: `Travel notes ${round}`, text: `${generateText(round, 80)} The ${word} again, the ${word} once more, a ${word}.` });
        const titled = makeCapture({ seed: 6000 + round, title: `The ${word} of the north`, text: generateText(100 + round, 80) });
        const titledId = local.saveCapture(titled.capture, titled.blobs).id;
        const bodyId = local.saveCapture(body.capture, body.blobs).id;
        const hits = local.search(word).items;
        expect(hits.map((h) => h.id)).toEqual([titledId, bodyId]);
        expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
      }
    } finally {
      local.close();
    }
  });

  it('body matches get an FTS5 snippet with every matched word marked', () => {
    const hit = archive.search('ownership compile').items[0]!;
    expect(hit.id).toBe(ids.rust);
    expect(hit.snippet).toContain(`${SNIPPET_MARK_START}ownership${SNIPPET_MARK_END}`);
    expect(hit.snippet).toContain(`${SNIPPET_MARK_START}compile${SNIPPET_MARK_END}`);
    const stemmed = archive.search('running').items[0]!;
    expect(stemmed.snippet).toMatch(new RegExp(`${SNIPPET_MARK_START}(runs|run)${SNIPPET_MARK_END}`));
  });

  it('title or tag only matches fall back to the excerpt', () => {
    const hit = archive.search('title:marathon').items[0]!;
    expect(hit.id).toBe(ids.runner);
    expect(hit.snippet.startsWith('She runs every morning')).toBe(true);
    const tagged = archive.search('history').items.find((h) => h.id === ids.machines)!;
    expect(tagged.snippet.length).toBeGreaterThan(0);
  });

  it('hits carry the full summary', () => {
    const hit = archive.search('borrow').items[0]!;
    expect(hit).toMatchObject({ id: ids.rust, title: 'Understanding the Rust borrow checker', tags: ['programming', 'rust'], read: true, byline: 'Ada Lovelace' });
    expect(hit.score).toBeGreaterThan(0);
  });

  it('trashed articles are not found; restored ones are', () => {
    archive.deleteArticles([ids.kitchen!]);
    expect(keys('bread')).toEqual([]);
    expect(keys('tag:recipes')).toEqual([]);
    archive.restoreArticles([ids.kitchen!]);
    expect(keys('bread')).toEqual(['kitchen']);
  });

  it('the word index is used through FTS5, not a table scan', () => {
    expect(archive.explainSearch('borrow').join('\n')).toMatch(/VIRTUAL TABLE INDEX/);
    expect(archive.explainSearch('図書館').join('\n')).toMatch(/VIRTUAL TABLE INDEX/);
  });
});
