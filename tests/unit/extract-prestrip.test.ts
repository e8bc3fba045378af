import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../app/capture/extract.js';
import { preStrip } from '../../app/capture/pre-strip.js';

// Removing scripts and styles before parsing (pre-strip.ts) is only a speed-up: every fixture
// page must extract to exactly the same result with and without it, every field.
const pagesDir = join(import.meta.dirname, '..', 'fixtures', 'pages');
const slugs = readdirSync(pagesDir, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(pagesDir, d.name, 'source.html')))
  .map((d) => d.name)
  .sort();

describe('extraction with and without the pre-parse strip', () => {
  it('finds the fixture pages, and the strip has something to remove on most of them', () => {
    expect(slugs.length).toBeGreaterThanOrEqual(12);
    const stripped = slugs.filter((slug) => {
      const html = readFileSync(join(pagesDir, slug, 'source.html'), 'utf8');
      return preStrip(html).length < html.length;
    });
    // Otherwise the equality below would be comparing a page with itself.
    expect(stripped.length).toBeGreaterThanOrEqual(slugs.length / 2);
  });

  for (const slug of slugs) {
    it(`${slug}: identical extraction`, () => {
      const html = readFileSync(join(pagesDir, slug, 'source.html'), 'utf8');
      const url = `http://fixtures.test/${slug}/`;
      expect(extractArticle(html, url)).toStrictEqual(extractArticle(html, url, { preStrip: false }));
    });
  }
});
