import { describe, expect, it } from 'vitest';
import type { ArticleSummary } from '../../app/core/article.js';
import { splitByline } from '../../app/export/authors.js';
import { citationsOf, escapeBibtex, toBibtex, toCslJson } from '../../app/export/citations.js';

function summary(over: Partial<ArticleSummary>): ArticleSummary {
  return {
    id: 1, url: 'https://example.com/a', finalUrl: 'https://example.com/a', canonicalUrl: null, title: 'A Title', byline: null,
    siteName: null, excerpt: null, lang: null, publishedTime: null, savedAt: '2024-05-01T10:00:00.000Z', updatedAt: '2024-05-01T10:00:00.000Z',
    wordCount: 10, readingMinutes: 1, leadImage: null, tags: [], status: 'captured', readingProgress: 0, read: false, archived: false, favorite: false,
    ...over,
  };
}

describe('splitByline', () => {
  it('splits "By A and B" into people with given and family names', () => {
    expect(splitByline('By Jane Doe and John Smith')).toEqual([
      { given: 'Jane', family: 'Doe' },
      { given: 'John', family: 'Smith' },
    ]);
    expect(splitByline('Ana García, Li Wei & Ludwig van Beethoven')).toEqual([
      { given: 'Ana', family: 'García' },
      { given: 'Li', family: 'Wei' },
      { given: 'Ludwig', family: 'van Beethoven' },
    ]);
  });

  it('reads "Family, Given" as one person and keeps organisations and unspaced scripts whole', () => {
    expect(splitByline('Doe, Jane')).toEqual([{ family: 'Doe', given: 'Jane' }]);
    expect(splitByline('Reuters Staff')).toEqual([{ literal: 'Reuters Staff' }]);
    expect(splitByline('The Editorial Board')).toEqual([{ literal: 'The Editorial Board' }]);
    expect(splitByline('山田太郎')).toEqual([{ literal: '山田太郎' }]);
    expect(splitByline('Madonna')).toEqual([{ literal: 'Madonna' }]);
    expect(splitByline('Jane Doe - Staff Writer')).toEqual([{ given: 'Jane', family: 'Doe' }]);
    expect(splitByline(null)).toEqual([]);
    expect(splitByline('  ')).toEqual([]);
  });
});

describe('citations', () => {
  it('escapes every BibTeX special character once', () => {
    expect(escapeBibtex('50% of {R&D} costs $5 #1 a_b ^ ~ \\')).toBe(
      '50\\% of \\{R\\&D\\} costs \\$5 \\#1 a\\_b \\textasciicircum{} \\textasciitilde{} \\textbackslash{}',
    );
  });

  it('makes keys from family name, year and first title word, suffixing collisions a, b', () => {
    const a = summary({ byline: 'Jane Doe', publishedTime: '2024-02-03T00:00:00Z', title: 'The Rivers of Paris' });
    const cites = citationsOf([a, { ...a, id: 2 }, { ...a, id: 3 }, summary({ title: 'Über Brücken', siteName: 'Die Zeit' })]);
    expect(cites.map((c) => c.key)).toEqual(['doe2024rivers', 'doe2024riversa', 'doe2024riversb', 'die2024uber'.replace('2024', 'nd')]);
  });

  it('writes biblatex @online with organisation authors braced and URL characters made safe', () => {
    const bib = toBibtex(
      citationsOf([summary({ byline: 'AP Staff', title: 'Costs rise 5% in Q1', siteName: 'AP News', url: 'https://e.com/a%20b?x={y}', finalUrl: 'https://e.com/a%20b?x={y}', lang: 'en', publishedTime: '2023-12-31T23:00:00Z' })]),
    );
    expect(bib).toBe(
      '@online{ap2023costs,\n  author = {{AP Staff}},\n  title = {{Costs rise 5\\% in Q1}},\n  organization = {AP News},\n' +
        '  url = {https://e.com/a%20b?x=%7By%7D},\n  date = {2023-12-31},\n  urldate = {2024-05-01},\n  langid = {en}\n}\n',
    );
  });

  it('writes CSL-JSON webpages, leaving out what is unknown', () => {
    const [item] = toCslJson(citationsOf([summary({ title: 'No author' })]));
    expect(item).toEqual({ id: 'anonndno', type: 'webpage', title: 'No author', URL: 'https://example.com/a', accessed: { 'date-parts': [[2024, 5, 1]] } });
  });
});
