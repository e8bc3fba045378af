import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { countWords, htmlToPlainText, readingMinutes } from '../../app/capture/plain-text.js';

const text = (html: string): string => htmlToPlainText(new JSDOM(`<body>${html}</body>`).window.document.body);

describe('htmlToPlainText', () => {
  it('separates blocks by one blank line and collapses whitespace inside them', () => {
    expect(text('<h2>  A   heading </h2>\n\n\n<p>First\n   paragraph,\twith  <em>inline</em>   words.</p><div><p>Second.</p></div>')).toBe(
      'A heading\n\nFirst paragraph, with inline words.\n\nSecond.',
    );
  });

  it('puts list items on their own lines, the list as a block', () => {
    expect(text('<p>Before</p><ul><li>one</li><li>two <b>bold</b></li><li><ol><li>nested</li></ol></li></ul><p>After</p>')).toBe(
      'Before\n\none\ntwo bold\n\nnested\n\nAfter',
    );
  });

  it('keeps <pre> whitespace and honours <br>', () => {
    expect(text('<p>line one<br>line two</p><pre>  indented\n    more\n</pre>')).toBe('line one\nline two\n\n  indented\n    more');
  });

  it('writes table rows as lines with tab-separated cells', () => {
    expect(text('<table><tr><th>Name</th><th>Age</th></tr><tr><td>Ada</td><td>36</td></tr></table>')).toBe('Name\tAge\nAda\t36');
  });

  it('never leaves runs of blank lines, leading or trailing space', () => {
    const out = text('<div>\n\n<p>  a  </p>\n\n<hr><hr><div><div></div></div>\n\n<p>b</p>\n\n</div>');
    expect(out).toBe('a\n\nb');
  });

  it('turns non-breaking spaces into spaces and keeps inline boundaries', () => {
    expect(text('<p>10&nbsp;km&nbsp; of <a href="#">canal</a>s</p>')).toBe('10 km of canals');
  });

  it('skips script and style text even if present', () => {
    expect(text('<p>kept</p><script>var x = 1;</script><style>p{}</style>')).toBe('kept');
  });
});

describe('countWords', () => {
  it('counts Latin words by whitespace, ignoring punctuation-only tokens', () => {
    expect(countWords('Hello, world — this is  Folio | 2024')).toEqual({ words: 6, cjk: 0 });
  });

  it('counts each Han, Kana and Hangul character as a word', () => {
    expect(countWords('図書館へ行く')).toEqual({ words: 6, cjk: 6 });
    expect(countWords('データベース')).toEqual({ words: 6, cjk: 6 }); // the long-vowel mark counts too
    expect(countWords('한국어 문장')).toEqual({ words: 5, cjk: 5 });
    expect(countWords('Folio は 図書館、です。')).toEqual({ words: 7, cjk: 6 });
  });

  it('counts nothing in empty or punctuation-only text', () => {
    expect(countWords('')).toEqual({ words: 0, cjk: 0 });
    expect(countWords(' — … 「」 ')).toEqual({ words: 0, cjk: 0 });
  });
});

describe('readingMinutes', () => {
  it('is 0 without text, else at least 1', () => {
    expect(readingMinutes({ words: 0, cjk: 0 })).toBe(0);
    expect(readingMinutes({ words: 1, cjk: 0 })).toBe(1);
  });

  it('uses 230 words or 500 CJK characters per minute', () => {
    expect(readingMinutes({ words: 230, cjk: 0 })).toBe(1);
    expect(readingMinutes({ words: 231, cjk: 0 })).toBe(2);
    expect(readingMinutes({ words: 500, cjk: 500 })).toBe(1);
    expect(readingMinutes({ words: 1001, cjk: 1001 })).toBe(3);
    expect(readingMinutes({ words: 730, cjk: 500 })).toBe(2);
  });
});
