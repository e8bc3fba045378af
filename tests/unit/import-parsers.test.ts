import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../app/import/detect.js';
import type { ImportItem } from '../../app/import/import-items.js';
import { itemsOf } from '../../app/import/item-source.js';
import { inspectInput } from '../../app/import/read-input.js';
import { parsePocketCsv } from '../../app/import/pocket-csv.js';

const dir = path.resolve('tests/fixtures/import');
const fx = (name: string) => path.join(dir, name);

async function items(name: string): Promise<ImportItem[]> {
  const info = inspectInput(fx(name));
  const format = await detectFormat(info);
  const out: ImportItem[] = [];
  for await (const item of itemsOf(format as never, info)) out.push(item);
  return out;
}
const brief = (i: ImportItem) => ({ url: i.url, title: i.title, tags: i.tags, savedAt: i.savedAt, read: i.read ?? false, archived: i.archived ?? false, favorite: i.favorite ?? false });

describe('format detection from content', () => {
  it.each([
    ['bookmarks-chrome.html', 'netscape'],
    ['bookmarks-firefox.html', 'netscape'],
    ['bookmarks-pinboard.html', 'netscape'],
    ['pocket-new.csv', 'pocket-csv'],
    ['pocket-old.csv', 'pocket-csv'],
    ['ril_export.html', 'pocket-html'],
    ['instapaper.csv', 'instapaper'],
    ['omnivore', 'omnivore'],
    ['wallabag.json', 'wallabag'],
    ['readeck', 'readeck'],
    ['urls.txt', 'urls'],
    ['urls.md', 'urls'],
  ])('%s → %s', async (name, format) => {
    expect(await detectFormat(inspectInput(fx(name)))).toBe(format);
  });
});

describe('netscape bookmarks', () => {
  it('chrome: folders become tags except the browser roots; µs dates', async () => {
    expect((await items('bookmarks-chrome.html')).map(brief)).toEqual([
      { url: 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Caching', title: 'HTTP caching - HTTP | MDN', tags: [], savedAt: '2023-11-03T08:28:20.000Z', read: false, archived: false, favorite: false },
      { url: 'https://www.example.org/essays/slow-web?utm_source=twitter', title: 'The Slow Web & You', tags: ['Reading'], savedAt: '2023-11-03T08:30:50.000Z', read: false, archived: false, favorite: false },
      { url: 'https://news.example.com/2023/11/04/story.html', title: 'Story with a microsecond timestamp', tags: [], savedAt: '2023-11-03T08:33:20.000Z', read: false, archived: false, favorite: false },
    ]);
  });
  it('firefox: nested folders + TAGS, descriptions, ms dates, place: URLs kept for the store to skip', async () => {
    const got = await items('bookmarks-firefox.html');
    expect(got.map((i) => [i.url.slice(0, 40), i.tags, i.savedAt, i.line])).toEqual([
      ['place:parent=toolbar_____&sort=12&maxRes', [], '2023-11-14T22:13:20.000Z', 12],
      ['https://doc.rust-lang.org/book/ch04-01-w', ['Programming', 'Rust', 'ownership', 'memory'], '2023-11-14T22:15:00.000Z', 17],
      ['https://sqlite.org/fts5.html', ['Programming'], '2023-11-14T22:16:40.000Z', 20],
      ['https://www.mozilla.org/en-US/firefox/', [], '2023-11-14T22:18:20.000Z', 24],
    ]);
    expect(got[1]!.description).toBe('Chapter 4.1: stack, heap & moves');
  });
  it('pinboard: TAGS, toread stays unread, multi-line DD', async () => {
    const got = await items('bookmarks-pinboard.html');
    expect(got.map(brief)).toEqual([
      { url: 'https://danluu.com/cocktail-ideas/', title: 'Cocktail party ideas', tags: ['essays', 'engineering'], savedAt: '2021-01-30T09:46:40.000Z', read: false, archived: false, favorite: false },
      { url: 'https://jvns.ca/blog/2021/01/23/firecracker--start-a-vm-in-less-than-a-second/', title: 'Firecracker: start a VM in less than a second', tags: ['linux'], savedAt: '2021-01-24T14:53:20.000Z', read: false, archived: false, favorite: false },
      { url: 'https://example.net/no-tags', title: 'Untagged', tags: [], savedAt: '2021-01-18T20:00:00.000Z', read: false, archived: false, favorite: false },
    ]);
    expect(got[1]!.description).toBe('Notes on "firecracker" and jailer');
  });
});

describe('pocket', () => {
  it('new CSV (with cursor): tags split on |, archive → read+archived, URL-as-title dropped', async () => {
    expect((await items('pocket-new.csv')).map((i) => ({ ...brief(i), line: i.line }))).toEqual([
      { url: 'https://paulgraham.com/greatwork.html', title: 'How to Do Great Work', tags: ['essays', 'career'], savedAt: '2023-07-10T14:40:00.000Z', read: false, archived: false, favorite: false, line: 2 },
      { url: 'https://example.com/ddia-review', title: 'Designing Data-Intensive Applications, a review', tags: [], savedAt: '2023-07-11T18:26:40.000Z', read: true, archived: true, favorite: false, line: 3 },
      { url: 'https://example.com/untitled', title: undefined, tags: ['books'], savedAt: '2023-07-12T22:13:20.000Z', read: false, archived: false, favorite: false, line: 4 },
    ]);
  });
  it('old CSV column order maps by header name', async () => {
    expect((await items('pocket-old.csv')).map(brief)).toEqual([
      { url: 'https://example.com/quoted', title: 'The "quoted" title', tags: ['go', 'tools'], savedAt: '2020-09-13T12:26:40.000Z', read: true, archived: true, favorite: false },
      { url: 'https://example.com/plain', title: 'Plain title', tags: [], savedAt: '2020-09-13T12:28:20.000Z', read: false, archived: false, favorite: false },
    ]);
  });
  it('ril_export.html: Unread and Read Archive sections', async () => {
    expect((await items('ril_export.html')).map(brief)).toEqual([
      { url: 'https://www.theverge.com/2023/1/1/some-story', title: 'Some story', tags: ['tech', 'news'], savedAt: '2023-01-01T19:06:40.000Z', read: false, archived: false, favorite: false },
      { url: 'https://example.com/no-title', title: undefined, tags: [], savedAt: '2023-01-02T22:53:20.000Z', read: false, archived: false, favorite: false },
      { url: 'https://blog.example.org/post', title: 'Old post', tags: ['archive-me'], savedAt: '2017-07-14T02:40:00.000Z', read: true, archived: true, favorite: false },
    ]);
  });
  it('a CSV with broken quoting names its line', async () => {
    const csv = 'title,url,time_added,tags,status\nok,https://a.example/1,1600000000,,unread\n"bad "quote",https://a.example/2,1600000000,,unread\n';
    const got: ImportItem[] = [];
    await expect(async () => {
      for await (const i of parsePocketCsv(Readable.from([csv]), 'x.csv')) got.push(i);
    }).rejects.toThrow(/x\.csv, line 3: the CSV is malformed/);
    expect(got.map((i) => i.url)).toEqual(['https://a.example/1']);
  });
});

describe('instapaper', () => {
  it('folders: Archive, Starred, others → tag; JSON tag lists', async () => {
    expect((await items('instapaper.csv')).map(brief)).toEqual([
      { url: 'https://www.newyorker.com/magazine/long-read', title: 'A Long Read', tags: ['longform', 'culture'], savedAt: '2022-04-15T05:20:00.000Z', read: false, archived: false, favorite: false },
      { url: 'https://example.com/archived', title: 'Archived piece', tags: [], savedAt: '2022-04-15T05:21:40.000Z', read: true, archived: true, favorite: false },
      { url: 'https://example.com/starred', title: 'Starred piece', tags: [], savedAt: '2022-04-15T05:23:20.000Z', read: false, archived: false, favorite: true },
      { url: 'https://example.com/in-folder', title: 'In a folder', tags: ['food', 'Recipes'], savedAt: '2022-04-15T05:25:00.000Z', read: false, archived: false, favorite: false },
    ]);
  });
});

describe('content exports', () => {
  it('omnivore: states, labels (strings or objects), progress, content attached when present', async () => {
    const got = await items('omnivore');
    expect(got.map(brief)).toEqual([
      { url: 'https://mcfunley.com/choose-boring-technology', title: 'The Case for Boring Technology', tags: ['engineering', 'Favorites'], savedAt: '2023-05-01T09:30:00.000Z', read: true, archived: true, favorite: false },
      { url: 'https://example.com/sqlite-wal', title: 'Notes on SQLite WAL mode', tags: [], savedAt: '2023-06-10T18:00:00.000Z', read: false, archived: false, favorite: false },
      { url: 'https://example.com/no-content', title: 'An article Omnivore never downloaded', tags: ['later'], savedAt: '2023-07-01T07:00:00.000Z', read: false, archived: false, favorite: false },
    ]);
    expect(got.map((i) => Boolean(i.content))).toEqual([true, true, false]);
    expect(got[1]!.progress).toBe(0.4);
    expect(got[0]!.content!.byline).toBe('Dan McKinley');
  });
  it('wallabag: is_archived/is_starred, tags, created_at', async () => {
    const got = await items('wallabag.json');
    expect(got.map(brief)).toEqual([
      { url: 'https://wallabag.example.org/offline-reading', title: 'Offline reading with wallabag', tags: ['reading', 'offline'], savedAt: '2022-03-14T08:54:56.000Z', read: true, archived: true, favorite: false },
      { url: 'https://example.com/wallabag-starred', title: 'Starred but unread', tags: [], savedAt: '2022-04-01T12:00:00.000Z', read: false, archived: false, favorite: true },
    ]);
    expect(got[0]!.content!.byline).toBe('Nicolas Lœuillet');
  });
  it('readeck backup folder: info.json + index.html', async () => {
    const got = await items('readeck');
    expect(got.map(brief)).toEqual([
      { url: 'https://readeck.example.net/articles/self-hosting', title: 'Self-hosting a read-it-later service', tags: ['selfhosted', 'tools'], savedAt: '2024-02-10T11:12:13.000Z', read: false, archived: false, favorite: true },
    ]);
    expect(got[0]!.progress).toBe(0.3);
    expect(got[0]!.content!.html).toContain('Self-hosting paragraph 5');
  });
});

describe('URL lists', () => {
  it('plain text: bare URLs with punctuation trimmed, balanced parentheses kept, line numbers', async () => {
    expect((await items('urls.txt')).map((i) => [i.url, i.line])).toEqual([
      ['https://example.com/one', 1],
      ['https://example.com/two', 2],
      ['https://en.wikipedia.org/wiki/Foo_(bar)', 3],
      ['HTTPS://EXAMPLE.COM/Three?x=1', 6],
    ]);
  });
  it('markdown: link text becomes the title', async () => {
    expect((await items('urls.md')).map((i) => [i.url, i.title])).toEqual([
      ['https://example.com/md/first', 'The first article'],
      ['https://example.com/md/second', 'Second, with a "title"'],
      ['https://example.com/md/third', undefined],
      ['https://example.com/md/empty-text', undefined],
    ]);
  });
});

it('fixtures are real files (sanity: the Pocket CSV header is the 2023 one)', () => {
  expect(readFileSync(fx('pocket-new.csv'), 'utf8').split('\n')[0]).toBe('title,url,time_added,cursor,tags,status');
});
