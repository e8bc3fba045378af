import { describe, expect, it } from 'vitest';
import { parseQuery } from '../../app/core/query/parse-query.js';
import { unspacedRuns } from '../../app/core/query/scripts.js';
import { normalizeTag, normalizeTags } from '../../app/core/query/tags.js';
import { fts5Term, planTextQuery, quoteFts5, routeTerm, toFts5Match } from '../../app/core/query/to-fts5.js';

const compile = (q: string) => {
  const parsed = parseQuery(q);
  return toFts5Match(parsed.include, parsed.exclude);
};

describe('toFts5Match', () => {
  it('quotes every term and ANDs groups', () => {
    expect(compile('rust borrow')).toBe('"rust" AND "borrow"');
  });

  it('doubles inner quotes, so no input reaches FTS5 syntax', () => {
    expect(quoteFts5('say "hi"')).toBe('"say ""hi"""');
    expect(compile('title:"a""b"')).toBe('title : "a"');
  });

  it('phrases, prefixes, fields', () => {
    expect(compile('"machine learning" progr* title:rust author:"Ada Lovelace"')).toBe(
      '"machine learning" AND "progr" * AND title : "rust" AND byline : "Ada Lovelace"',
    );
  });

  it('OR groups in parentheses', () => {
    expect(compile('cats OR dogs pets')).toBe('("cats" OR "dogs") AND "pets"');
  });

  it('exclusions become NOT after the positive part', () => {
    expect(compile('garden -weeds -"slug pellets"')).toBe('("garden") NOT "weeds" NOT "slug pellets"');
  });

  it('null when there is nothing positive (FTS5 has no bare NOT)', () => {
    expect(compile('-weeds')).toBeNull();
    expect(compile('')).toBeNull();
  });

  it('FTS5 keywords and column-like words stay inside quotes', () => {
    expect(compile('NEAR AND NOT text:x')).toBe('"NEAR" AND "AND" AND "NOT" AND "text:x"');
    expect(compile('title:NEAR(')).toBe('title : "NEAR("');
  });

  it('no prefix mark in the trigram index (it matches substrings anyway)', () => {
    const term = parseQuery('図書館*').include[0]![0]!;
    expect(fts5Term(term, 'trigram')).toBe('"図書館"');
    expect(fts5Term(term, 'words')).toBe('"図書館" *');
  });
});

describe('routing and planning', () => {
  it('routes unspaced scripts by length: 3+ trigram, 1–2 substring; the rest to words', () => {
    const route = (s: string) => routeTerm(parseQuery(s).include[0]![0]!);
    expect(route('library')).toBe('words');
    expect(route('図書館')).toBe('trigram');
    expect(route('東京タワー')).toBe('trigram');
    expect(route('東京')).toBe('substring');
    expect(route('図')).toBe('substring');
    expect(route('도서관')).toBe('trigram');
    expect(route('ห้องสมุด')).toBe('trigram');
    expect(route('Ελληνικά')).toBe('words');
  });

  it('folds same-index groups into one MATCH each; mixed groups stay separate', () => {
    const plan = planTextQuery(parseQuery('python 図書館 東京 cats OR 猫 -dogs -大阪'));
    expect(plan.words).toBe('("python") NOT "dogs"');
    expect(plan.trigram).toBe('"図書館"');
    expect(plan.groups).toEqual([
      [{ route: 'substring', needle: '東京', field: null }],
      [
        { route: 'words', match: '"cats"' },
        { route: 'substring', needle: '猫', field: null },
      ],
    ]);
    expect(plan.exclude).toEqual([{ route: 'substring', needle: '大阪', field: null }]);
    expect(plan.substringNeedles).toEqual(['図書館', '東京', '猫']);
  });

  it('says when the word MATCH holds a prefix term (included, excluded or split from a CJK phrase)', () => {
    const prefix = (q: string) => planTextQuery(parseQuery(q)).wordsHavePrefix;
    expect([prefix('govern*'), prefix('cats -dog*'), prefix('"東京 tow"*'), prefix('cats "dog house"'), prefix('図書館*')]).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
  });

  it('word exclusions alone are kept for a NOT IN condition', () => {
    const plan = planTextQuery(parseQuery('-dogs tag:x'));
    expect(plan.words).toBeNull();
    expect(plan.exclude).toEqual([{ route: 'words', match: '"dogs"' }]);
  });

  it('splits a phrase mixing unspaced and spaced runs into required parts', () => {
    const plan = planTextQuery(parseQuery('"東京タワー night view"'));
    expect(plan.trigram).toBe('"東京タワー"');
    expect(plan.words).toBe('"night view"');
  });
});

describe('unspacedRuns', () => {
  it('keeps only runs with unspaced scripts; a newline marks dropped text', () => {
    expect(unspacedRuns('plain English only')).toBe('');
    expect(unspacedRuns('Visit 東京 タワー today and 大阪 tomorrow')).toBe('東京 タワー\n大阪');
    expect(unspacedRuns('市立図書館は駅前にあります。')).toBe('市立図書館は駅前にあります。');
  });
});

describe('normalizeTag', () => {
  it('lower-cases, trims, collapses spaces, composes, caps length', () => {
    expect(normalizeTag('  Machine   Learning ')).toBe('machine learning');
    expect(normalizeTag('Cafe\u0301')).toBe('café');
    expect(normalizeTag('   ')).toBeNull();
    expect(normalizeTag('\u0000\u0001')).toBeNull();
    expect(normalizeTag('x'.repeat(500))!.length).toBe(100);
    expect(normalizeTags(['B', 'a', 'b', ' ', 'A '])).toEqual(['b', 'a']);
  });
});
