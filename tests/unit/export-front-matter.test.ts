import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { ArticleDetail } from '../../app/core/article.js';
import { frontMatterOf, obsidianTags, renderFrontMatter } from '../../app/export/front-matter.js';

const article: ArticleDetail = {
  id: 42, url: 'https://example.com/a', finalUrl: 'https://example.com/a?x=1', canonicalUrl: 'https://example.com/a',
  title: 'Title: with "quotes", # hash\nand a newline', byline: 'By Jane Doe and John Smith', siteName: 'Example', excerpt: '---\nnot a document end',
  lang: 'en', publishedTime: '2024-03-05T08:00:00.000Z', savedAt: '2024-05-01T09:00:00.000Z', updatedAt: '2024-05-02T09:00:00.000Z',
  wordCount: 1234, readingMinutes: 6, leadImage: null, tags: ['long reads', '#history', '1984', 'a/b'], status: 'captured', readingProgress: 0.5,
  read: true, archived: false, favorite: true, dir: 'ltr', html: '<p>x</p>', text: 'x', extractor: 'readability', rendered: false, fetchedAt: null, images: [],
};

describe('front matter', () => {
  it('round-trips through a YAML parser with Web Clipper keys and Folio fields', () => {
    const text = renderFrontMatter(frontMatterOf(article));
    expect(text.startsWith('---\n')).toBe(true);
    expect(text.endsWith('\n---\n')).toBe(true);
    const parsed = parse(text.slice(4, -4));
    expect(parsed).toEqual({
      title: article.title,
      source: 'https://example.com/a',
      author: ['Jane Doe', 'John Smith'],
      site: 'Example',
      published: '2024-03-05',
      created: '2024-05-01',
      description: '---\nnot a document end',
      tags: ['long-reads', 'history', 'y1984', 'a/b'],
      lang: 'en',
      word_count: 1234,
      folio_id: 42,
      read: true,
      favorite: true,
      archived: false,
    });
  });

  it('makes tags Obsidian accepts', () => {
    expect(obsidianTags(['Deep Learning', '#ai', 'c++', 'x--y', '2024', 'été'])).toEqual(['Deep-Learning', 'ai', 'c', 'x-y', 'y2024', 'été']);
  });
});
