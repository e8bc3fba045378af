import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JSDOM, VirtualConsole } from 'jsdom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractArticle } from '../../app/capture/extract.js';
import { isPlaceholderSrc } from '../../app/capture/lazy-images.js';
import { FolioError } from '../../app/core/errors.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';

const pagesDir = join(import.meta.dirname, '..', 'fixtures', 'pages');
const source = (slug: string): string => readFileSync(join(pagesDir, slug, 'source.html'), 'utf8');
const urlOf = (slug: string): string => `http://fixtures.test/${slug}/`;
/** Parses extracted HTML back into a DOM to assert on structure rather than on strings. */
const dom = (html: string): HTMLElement => new JSDOM(`<body>${html}</body>`).window.document.body;

describe('news-story', () => {
  const result = extractArticle(source('news-story'), urlOf('news-story'));
  const body = dom(result.html);

  it('keeps the embedded tweet as a plain blockquote with its text, author and status link', () => {
    const tweet = [...body.querySelectorAll('blockquote')].find((b) => b.textContent!.includes('Crews have already started'));
    expect(tweet).toBeDefined();
    expect(tweet!.textContent).toContain('Harbor District Alliance (@HarborAlliance)');
    const status = tweet!.querySelector('a[href*="/status/"]');
    expect(status?.getAttribute('href')).toBe('https://twitter.com/HarborAlliance/status/1765012345678901234?ref_src=twsrc%5Etfw');
    expect(status?.textContent).toBe('March 5, 2024');
    expect(tweet!.hasAttribute('class')).toBe(false);
  });

  it('turns the YouTube iframe into a "Video:" link to the watch page', () => {
    expect(body.querySelector('iframe')).toBeNull();
    const video = [...body.querySelectorAll('a')].find((a) => a.textContent!.startsWith('Video:'));
    expect(video?.textContent).toBe('Video: How the Harbor District flood barrier would work');
    expect(video?.getAttribute('href')).toBe('https://www.youtube.com/watch?v=Xk3fL9p2QaE&t=12s');
  });

  it('drops navigation, ads, cookie banner, related links and footer', () => {
    for (const gone of ['Advertisement', 'Accept all cookies', 'Subscribe today', 'Related coverage', 'Voters back resilience bond', 'Privacy policy', 'All rights reserved']) {
      expect(result.html).not.toContain(gone);
    }
    expect(result.text).toContain('Santos said she worried that maintenance costs');
  });

  it('marks every link noopener noreferrer', () => {
    const links = [...body.querySelectorAll('a')];
    expect(links.length).toBeGreaterThan(2);
    for (const a of links) expect(a.getAttribute('rel')).toBe('noopener noreferrer');
  });

  it('estimates reading time from the word count', () => {
    expect(result.wordCount).toBeGreaterThan(400);
    expect(result.readingMinutes).toBe(Math.ceil(result.wordCount / 230));
  });
});

describe('blog-lazy-images', () => {
  const base = urlOf('blog-lazy-images');
  const result = extractArticle(source('blog-lazy-images'), base);
  const images = [...dom(result.html).querySelectorAll('img')];

  it('recovers every lazily loaded image as a real absolute src, in page order', () => {
    const swatch = /^data:image\/png;base64,iVBORw0KGgo/;
    expect(images.map((i) => i.getAttribute('src'))).toEqual([
      `${base}images/pfaff-before.jpg`, // data-src behind a 1×1 GIF
      `${base}images/bobbin-960.jpg`, // data-srcset behind lazy.gif: the widest candidate
      `${base}images/motor.jpg`, // data-original
      `${base}images/tension-assembly.jpg`, // <noscript> fallback behind an empty SVG
      `${base}images/feed-dogs.jpg`, // data-lazy-src
      expect.stringMatching(swatch), // a real inline image stays inline
      `${base}images/workbench-800.jpg`, // ordinary src + w srcset
      `${base}images/finished@2x.webp`, // <picture><source srcset> into the img
    ]);
    for (const img of images) {
      const src = img.getAttribute('src')!;
      expect(isPlaceholderSrc(src), src).toBe(false);
      expect(src).not.toMatch(/lazy\.gif|R0lGOD|svg\+xml/);
    }
  });

  it('makes every srcset candidate absolute', () => {
    const srcsets = images.map((i) => i.getAttribute('srcset')).filter((s): s is string => !!s);
    expect(srcsets).toHaveLength(4);
    for (const srcset of srcsets) {
      for (const candidate of srcset.split(/,\s+/)) expect(candidate).toMatch(/^http:\/\/fixtures\.test\/\S+ \d+(?:w|x)$/);
    }
    expect(srcsets).toContain(`${base}images/finished.webp 1x, ${base}images/finished@2x.webp 2x`);
    expect(srcsets).toContain(`${base}images/workbench-400.jpg 400w, ${base}images/workbench-800.jpg 800w, http://fixtures.test/uploads/2023/11/workbench-1600.jpg 1600w`);
  });

  it('replaces the placeholder with the noscript image instead of keeping both', () => {
    const tension = images.filter((i) => i.getAttribute('alt')?.startsWith('Tension assembly'));
    expect(tension).toHaveLength(1);
    expect(tension[0]!.getAttribute('width')).toBe('800');
    expect(result.html).not.toContain('noscript');
  });

  it('drops lazy-loading attributes and classes', () => {
    expect(result.html).not.toMatch(/data-(?:src|srcset|original|lazy)|class=|sizes=/);
  });
});

describe('cjk-article', () => {
  const result = extractArticle(source('cjk-article'), urlOf('cjk-article'));

  it('keeps the Japanese text', () => {
    expect(result.text.split('図書館').length - 1).toBeGreaterThanOrEqual(8);
    expect(result.lang).toBe('ja');
  });

  it('counts each Han/Kana character as a word instead of one word per paragraph', () => {
    const kanaAndKanji = [...result.text].filter((c) => /[\u3040-\u30ff\u4e00-\u9fff]/.test(c)).length;
    expect(kanaAndKanji).toBeGreaterThan(500);
    expect(result.wordCount).toBeGreaterThanOrEqual(kanaAndKanji);
    expect(result.wordCount).toBeLessThan(kanaAndKanji + 20); // a few numbers/latin tokens at most
    expect(result.readingMinutes).toBe(Math.ceil(result.wordCount / 500));
  });
});

describe('json-ld-only', () => {
  it('uses the JSON-LD articleBody, one paragraph per line of it', () => {
    const result = extractArticle(source('json-ld-only'), urlOf('json-ld-only'));
    expect(result.extractor).toBe('json-ld');
    expect(dom(result.html).querySelectorAll('p')).toHaveLength(5);
    expect(result.text.split('\n\n')).toHaveLength(5);
  });
});

describe('no-article', () => {
  it('falls back to the cleaned body: content kept, chrome and forms gone', () => {
    const result = extractArticle(source('no-article'), urlOf('no-article'));
    expect(result.extractor).toBe('body');
    const body = dom(result.html);
    expect(body.querySelector('h1')?.textContent).toBe('Lumen Desk Lamp');
    expect([...body.querySelectorAll('h2')].map((h) => h.textContent)).toEqual(['Dimmable', 'Recycled aluminium', 'Five-year warranty']);
    expect(body.querySelector('form, button, select, nav, header, footer')).toBeNull();
    expect(result.text).not.toContain('Cart (0)');
  });
});

describe('malformed CSS', () => {
  const html = source('malformed-css');

  it('the fixture really makes jsdom throw', () => {
    expect(() => new JSDOM(html, { virtualConsole: new VirtualConsole() })).toThrow(/expected/);
  });

  // Pages are parsed into a light DOM that never parses stylesheets (light-dom.ts): the CSS that
  // makes a whole JSDOM throw is just text here, with or without the pre-parse strip that removes <style>.
  for (const preStrip of [true, false]) {
    it(`extracts it on the first pass with no warnings (preStrip ${preStrip ? 'on' : 'off'})`, () => {
      const result = extractArticle(html, urlOf('malformed-css'), { preStrip });
      expect(result.extractor).toBe('readability');
      expect(result.text.split('\n\n')).toHaveLength(4);
      expect(result.text).toContain('Walk into any stationery shop');
      expect(result.warnings).toEqual([]);
    });
  }

});

describe('base href', () => {
  it('resolves relative URLs against an http(s) <base href>', () => {
    const result = extractArticle(source('base-href'), urlOf('base-href'));
    const hrefs = [...dom(result.html).querySelectorAll('a')].map((a) => a.getAttribute('href'));
    expect(hrefs).toEqual([
      'https://archive.quarterly.example/library/survey-sheets.html',
      'https://archive.quarterly.example/maps/canals/',
      'https://archive.quarterly.example/issues/12/notes/methods.html',
      'mailto:canals@quarterly.example',
      'https://archive.quarterly.example/issues/12/#sources',
    ]);
  });

  it('ignores a javascript: base and resolves against the page URL', () => {
    const html = source('base-href').replace(
      '<base href="https://archive.quarterly.example/issues/12/">',
      '<base href="javascript:alert(document.domain)//">',
    );
    expect(html).toContain('javascript:alert');
    const result = extractArticle(html, 'https://quarterly.example/issues/12/canals.html');
    const hrefs = [...dom(result.html).querySelectorAll('a')].map((a) => a.getAttribute('href'));
    expect(hrefs).toContain('https://quarterly.example/library/survey-sheets.html');
    expect(hrefs).toContain('https://quarterly.example/issues/12/notes/methods.html');
    expect(dom(result.html).querySelector('img')?.getAttribute('src')).toBe('https://quarterly.example/issues/12/img/lock-7.png');
    expect(result.html).not.toContain('javascript:');
    expect(result.canonicalUrl).toBe('https://quarterly.example/issues/12/mapping-the-old-canal-network.html');
  });
});

describe('local files', () => {
  const page = `<html><body><article><h1>Notes</h1>${'<p>Saved pages keep their pictures in a folder next to the HTML file, and the extractor has to leave those references usable for the image stage.</p>'.repeat(5)}<img src="page_files/figure.png" alt="figure"></article></body></html>`;

  it('keeps file: image URLs for a page read from disk', () => {
    const result = extractArticle(page, 'file:///home/reader/saved/page.html');
    expect(dom(result.html).querySelector('img')?.getAttribute('src')).toBe('file:///home/reader/saved/page_files/figure.png');
  });

  it('never lets a web page point at file: images', () => {
    const hostile = page.replace('page_files/figure.png', 'file:///etc/passwd');
    const result = extractArticle(hostile, 'https://example.org/post');
    expect(result.html).not.toContain('file:');
    expect(dom(result.html).querySelector('img')).toBeNull();
  });
});

describe('pages without text', () => {
  it('returns an empty body extraction with a warning instead of throwing', () => {
    const result = extractArticle('<!doctype html><html><head><title></title></head><body><div id="root"></div></body></html>', 'https://app.example/');
    expect(result).toMatchObject({ extractor: 'body', text: '', wordCount: 0, readingMinutes: 0, title: 'https://app.example/' });
    expect(result.warnings).toEqual(['No readable text found in https://app.example/; it may need rendering with a browser.']);
  });

  it('falls back to the first <title> when nothing declares a title', () => {
    const result = extractArticle('<title> Opening hours </title><p>Open daily from nine to five.</p>', 'https://shop.example/hours');
    expect(result.title).toBe('Opening hours');
    expect(result.text).toBe('Open daily from nine to five.');
  });

  it('keeps every paragraph of a page that is only a fragment (no <html>, <head> or <body>)', () => {
    const paragraphs = ['The harbour wall was finished in 1862 after four winters of work.', 'Its granite came by barge from the quarry upriver.', 'A storm in 1901 took the lighthouse but left the wall standing.'];
    const result = extractArticle(paragraphs.map((p) => `<p>${p}</p>`).join('\n'), 'https://harbour.example/wall');
    expect(result.text).toBe(paragraphs.join('\n\n'));
  });
});

describe('failures', () => {
  /** The FolioError `run` throws (fails the test if it throws nothing or something else). */
  function folioErrorOf(run: () => unknown): FolioError {
    try {
      run();
    } catch (err) {
      expect(err).toBeInstanceOf(FolioError);
      return err as FolioError;
    }
    throw new Error('expected a FolioError, nothing was thrown');
  }

  it('rejects a relative page URL with INVALID_INPUT', () => {
    expect(folioErrorOf(() => extractArticle('<p>x</p>', 'not a url')).code).toBe('INVALID_INPUT');
    const err = folioErrorOf(() => extractArticle('<p>x</p>', '/relative/path'));
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message).toContain('"/relative/path"');
  });

  it('throws EXTRACT_FAILED naming the URL and the cause when every attempt fails', () => {
    // maxElements refuses the page, with and without its CSS (the fallbacks are not tried either).
    const page = `<style>p{}</style>${'<p>Paragraph of an oversized page.</p>'.repeat(50)}`;
    const err = folioErrorOf(() => extractArticle(page, 'https://big.example/page', { maxElements: 20 }));
    expect(err.code).toBe('EXTRACT_FAILED');
    expect(err.transient).toBe(false);
    expect(err.message).toMatch(/^Could not extract an article from https:\/\/big\.example\/page: Aborting parsing document; 5\d elements found \(the limit is 20\)\. Save the page/);
  });

  it('one failing page does not affect the next', () => {
    expect(() => extractArticle('<p>x</p>'.repeat(30), 'https://a.example/', { maxElements: 5 })).toThrow(/Aborting/);
    expect(extractArticle(source('rtl-article'), urlOf('rtl-article')).dir).toBe('rtl');
  });
});

describe('page code never runs and nothing is fetched', () => {
  let server: FixtureServer;
  beforeAll(async () => {
    server = await startFixtureServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('ignores inline scripts, handlers, external scripts, stylesheets, frames and images', async () => {
    const g = globalThis as { __folioRan?: boolean };
    const page = `<html><head>
      <script>globalThis.__folioRan = true; window.parent.__folioRan = true;</script>
      <script src="${server.url('/app.js')}"></script>
      <link rel="stylesheet" href="${server.url('/site.css')}">
      </head><body onload="globalThis.__folioRan = true">
      <iframe src="${server.url('/frame.html')}"></iframe>
      <img src="${server.url('/photo.png')}" onerror="globalThis.__folioRan = true" onload="globalThis.__folioRan = true">
      ${'<p>A paragraph of ordinary text that gives the page enough body to count as an article for the extractor.</p>'.repeat(6)}
      </body></html>`;
    const result = extractArticle(page, server.url('/article'));
    expect(result.text).toContain('A paragraph of ordinary text');
    // Give any (wrongly) started request time to reach the server.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(server.requests).toEqual([]);
    expect(g.__folioRan).toBeUndefined();
  });
});
