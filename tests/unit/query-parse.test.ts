import { describe, expect, it } from 'vitest';
import { parseQuery } from '../../app/core/query/parse-query.js';
import { MAX_QUERY_CHARS, MAX_QUERY_TERMS, type QueryTerm } from '../../app/core/query/types.js';

const w = (text: string, field: QueryTerm['field'] = null): QueryTerm => ({ kind: 'word', text, field });
const p = (text: string, field: QueryTerm['field'] = null): QueryTerm => ({ kind: 'phrase', text, field });
const pre = (text: string, field: QueryTerm['field'] = null): QueryTerm => ({ kind: 'prefix', text, field });

describe('parseQuery: text', () => {
  it('words are ANDed groups of one', () => {
    const q = parseQuery('rust borrow checker');
    expect(q.include).toEqual([[w('rust')], [w('borrow')], [w('checker')]]);
    expect(q.hasText).toBe(true);
    expect(q.isEmpty).toBe(false);
    expect(q.sort).toBeNull();
  });

  it('"exact phrases", and an unclosed quote closes at the end', () => {
    expect(parseQuery('"machine learning" python').include).toEqual([[p('machine learning')], [w('python')]]);
    expect(parseQuery('python "machine   learning').include).toEqual([[w('python')], [p('machine learning')]]);
  });

  it('-exclude and -"phrase"', () => {
    const q = parseQuery('garden -weeds -"slug pellets"');
    expect(q.include).toEqual([[w('garden')]]);
    expect(q.exclude).toEqual([w('weeds'), p('slug pellets')]);
  });

  it('only exclusions: no positive text but not empty', () => {
    const q = parseQuery('-weeds');
    expect(q.hasText).toBe(false);
    expect(q.isEmpty).toBe(false);
    expect(q.exclude).toEqual([w('weeds')]);
  });

  it('OR joins its neighbours into one group; chains extend it', () => {
    expect(parseQuery('cats OR dogs pets').include).toEqual([[w('cats'), w('dogs')], [w('pets')]]);
    expect(parseQuery('a1 OR b2 OR "c three"').include).toEqual([[w('a1'), w('b2'), p('c three')]]);
  });

  it('lower-case or is a word; stray OR at either end or doubled is ignored', () => {
    expect(parseQuery('cats or dogs').include).toEqual([[w('cats')], [w('or')], [w('dogs')]]);
    expect(parseQuery('OR cats').include).toEqual([[w('cats')]]);
    expect(parseQuery('cats OR').include).toEqual([[w('cats')]]);
    expect(parseQuery('cats OR OR dogs').include).toEqual([[w('cats')], [w('dogs')]]);
    expect(parseQuery('OR').isEmpty).toBe(true);
  });

  it('OR next to an exclusion or a filter does not join', () => {
    expect(parseQuery('cats OR -dogs').include).toEqual([[w('cats')]]);
    expect(parseQuery('cats OR tag:x dogs').include).toEqual([[w('cats')], [w('dogs')]]);
  });

  it('prefix*', () => {
    expect(parseQuery('progr*').include).toEqual([[pre('progr')]]);
    expect(parseQuery('"machine lea"*').include).toEqual([[pre('machine lea')]]);
    expect(parseQuery('progr***').include).toEqual([[pre('progr')]]);
  });

  it('a lone * or a leading * is not a prefix of nothing', () => {
    expect(parseQuery('*').isEmpty).toBe(true);
    expect(parseQuery('*foo').include).toEqual([[w('foo')]]);
  });

  it('FTS5 keywords are searched literally', () => {
    expect(parseQuery('NEAR AND NOT').include).toEqual([[w('NEAR')], [w('AND')], [w('NOT')]]);
  });

  it('terms without a letter or digit are dropped (punctuation, emoji, ^)', () => {
    expect(parseQuery('^ () 🎉 -- - ... !!').isEmpty).toBe(true);
    expect(parseQuery('🎉 party').include).toEqual([[w('party')]]);
    expect(parseQuery('(rust)').include).toEqual([[w('rust')]]);
  });

  it('a quote inside a word splits it into a phrase, as the tokenizer splits the text', () => {
    expect(parseQuery('foo"bar').include).toEqual([[p('foo bar')]]);
  });

  it('typographic quotes work like straight ones', () => {
    expect(parseQuery('“machine learning”').include).toEqual([[p('machine learning')]]);
  });

  it('hyphenated words stay one term', () => {
    expect(parseQuery('e-mail').include).toEqual([[w('e-mail')]]);
  });

  it('composes Unicode (NFC) so both spellings of é match', () => {
    expect(parseQuery('cafe\u0301').include).toEqual([[w('café')]]);
  });
});

describe('parseQuery: fields and filters', () => {
  it('title: and author: are field terms; values may be quoted or prefixes', () => {
    expect(parseQuery('title:rust').include).toEqual([[w('rust', 'title')]]);
    expect(parseQuery('title:"machine learning"').include).toEqual([[p('machine learning', 'title')]]);
    expect(parseQuery('author:knuth').include).toEqual([[w('knuth', 'author')]]);
    expect(parseQuery('byline:knuth').include).toEqual([[w('knuth', 'author')]]);
    expect(parseQuery('TITLE:Rust').include).toEqual([[w('Rust', 'title')]]);
    expect(parseQuery('title:prog*').include).toEqual([[pre('prog', 'title')]]);
    expect(parseQuery('-title:draft').exclude).toEqual([w('draft', 'title')]);
  });

  it('a field with an unclosed quoted value takes the rest', () => {
    expect(parseQuery('title:"machine learning').include).toEqual([[p('machine learning', 'title')]]);
  });

  it('site:, tag:, lang: filters, negatable, normalised', () => {
    const q = parseQuery('site:https://www.Example.com/path tag:"Machine  Learning" lang:EN_us -tag:draft -site:spam.com');
    expect(q.filters).toEqual([
      { kind: 'site', value: 'example.com', negated: false },
      { kind: 'tag', value: 'machine learning', negated: false },
      { kind: 'lang', value: 'en-us', negated: false },
      { kind: 'tag', value: 'draft', negated: true },
      { kind: 'site', value: 'spam.com', negated: true },
    ]);
    expect(q.hasText).toBe(false);
    expect(q.isEmpty).toBe(false);
  });

  it('is: states, with aliases and negation', () => {
    expect(parseQuery('is:unread is:read is:archived is:favorite is:favourite -is:archived').filters).toEqual([
      { kind: 'is', value: 'unread', negated: false },
      { kind: 'is', value: 'read', negated: false },
      { kind: 'is', value: 'archived', negated: false },
      { kind: 'is', value: 'favorite', negated: false },
      { kind: 'is', value: 'favorite', negated: false },
      { kind: 'is', value: 'archived', negated: true },
    ]);
  });

  it('before:/after: take valid YYYY-MM-DD dates; negation flips them', () => {
    expect(parseQuery('before:2024-03-01 after:2023-12-31').filters).toEqual([
      { kind: 'before', value: '2024-03-01' },
      { kind: 'after', value: '2023-12-31' },
    ]);
    expect(parseQuery('-before:2024-03-01').filters).toEqual([{ kind: 'after', value: '2024-03-01' }]);
  });

  it('invalid filter values are ignored with a warning, not searched', () => {
    const q = parseQuery('before:2024-02-30 after:yesterday is:bogus sort:random lang:!!');
    expect(q.filters).toEqual([]);
    expect(q.include).toEqual([]);
    expect(q.warnings).toHaveLength(5);
    expect(q.warnings[0]).toMatch(/before:2024-02-30.*YYYY-MM-DD/);
    expect(q.isEmpty).toBe(true);
  });

  it('sort: relevance|saved|published|title', () => {
    expect(parseQuery('rust sort:published').sort).toBe('published');
    expect(parseQuery('sort:SAVED rust').sort).toBe('saved');
    expect(parseQuery('rust sort:relevance').sort).toBe('relevance');
    expect(parseQuery('rust').sort).toBeNull();
  });

  it('unknown field:value is searched as words', () => {
    expect(parseQuery('foo:bar').include).toEqual([[w('foo:bar')]]);
    expect(parseQuery('text:hello').include).toEqual([[w('text:hello')]]);
    expect(parseQuery('http://example.com').include).toEqual([[w('http://example.com')]]);
  });

  it('a known field with nothing after it adds no constraint (still being typed)', () => {
    expect(parseQuery('title:').isEmpty).toBe(true);
    expect(parseQuery('rust tag:').include).toEqual([[w('rust')]]);
  });

  it('only filters: no text, not empty', () => {
    const q = parseQuery('is:unread tag:x');
    expect(q.hasText).toBe(false);
    expect(q.isEmpty).toBe(false);
  });
});

describe('parseQuery: limits and hostile input', () => {
  it('cuts input at MAX_QUERY_CHARS and terms at MAX_QUERY_TERMS', () => {
    const long = parseQuery('a'.repeat(10_000));
    expect(long.truncated).toBe(true);
    expect(long.include[0]![0]!.text.length).toBe(MAX_QUERY_CHARS);

    const many = parseQuery(Array.from({ length: 200 }, (_, i) => `w${i}`).join(' '));
    expect(many.truncated).toBe(true);
    expect(many.include).toHaveLength(MAX_QUERY_TERMS);
    expect(many.warnings.join()).toMatch(/cut/);
  });

  it('control characters, NUL and snippet markers are blanks', () => {
    expect(parseQuery('foo\u0000bar\u0007baz\uE000qux').include).toEqual([[w('foo')], [w('bar')], [w('baz')], [w('qux')]]);
  });

  it('lone surrogates are dropped', () => {
    expect(parseQuery('ab\uD800cd').include).toEqual([[w('ab')], [w('cd')]]);
  });

  it('never throws, whatever the input (seeded fuzz)', () => {
    const alphabet = ['a', 'Z', '9', ' ', '"', '-', '*', ':', '(', ')', 'OR', 'NOT', 'title:', 'tag:', 'is:', '\u0000', '図書館', 'é', '🎉', '\uD800', '^', '\\', "'", ';', '--'];
    let seed = 42;
    const next = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let i = 0; i < 2000; i++) {
      const len = Math.floor(next() * 30);
      const s = Array.from({ length: len }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
      const q = parseQuery(s);
      for (const t of [...q.include.flat(), ...q.exclude]) {
        expect(t.text.length).toBeGreaterThan(0);
        expect(t.text).toMatch(/[\p{L}\p{N}]/u);
      }
      expect(q.include.every((g) => g.length > 0)).toBe(true);
    }
  });

  it('non-string input is treated as text', () => {
    expect(parseQuery(undefined as unknown as string).isEmpty).toBe(true);
    expect(parseQuery(42 as unknown as string).include).toEqual([[w('42')]]);
  });
});
