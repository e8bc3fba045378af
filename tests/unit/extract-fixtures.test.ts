import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../app/capture/extract.js';
import type { Extraction } from '../../app/core/types.js';

// Every fixture page with an expected.json is extracted and each listed key checked, like
// Readability's own expected-metadata.json suite (see tests/fixtures/pages/README.md).
const pagesDir = join(import.meta.dirname, '..', 'fixtures', 'pages');
const slugs = readdirSync(pagesDir, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(pagesDir, d.name, 'expected.json')))
  .map((d) => d.name)
  .sort();

interface Expected extends Partial<Extraction> {
  textIncludes?: string[];
  textExcludes?: string[];
  htmlIncludes?: string[];
  htmlExcludes?: string[];
  warningsMatch?: string[];
}
const ASSERTION_KEYS = new Set(['textIncludes', 'textExcludes', 'htmlIncludes', 'htmlExcludes', 'warningsMatch']);

describe('fixture pages', () => {
  it('finds the fixture pages', () => {
    expect(slugs).toEqual(expect.arrayContaining(['news-story', 'blog-lazy-images', 'cjk-article', 'xss-article', 'json-ld-only', 'no-article', 'malformed-css', 'base-href', 'rtl-article']));
  });

  for (const slug of slugs) {
    it(`${slug} matches expected.json`, () => {
      const html = readFileSync(join(pagesDir, slug, 'source.html'), 'utf8');
      const expected = JSON.parse(readFileSync(join(pagesDir, slug, 'expected.json'), 'utf8')) as Expected;
      const result = extractArticle(html, `http://fixtures.test/${slug}/`);

      for (const [key, value] of Object.entries(expected)) {
        if (ASSERTION_KEYS.has(key)) continue;
        expect(result, `unknown key "${key}" in ${slug}/expected.json`).toHaveProperty(key);
        expect(result[key as keyof Extraction], `${slug}: ${key}`).toEqual(value);
      }
      for (const s of expected.textIncludes ?? []) expect(result.text, `${slug}: text`).toContain(s);
      for (const s of expected.textExcludes ?? []) expect(result.text, `${slug}: text`).not.toContain(s);
      for (const s of expected.htmlIncludes ?? []) expect(result.html, `${slug}: html`).toContain(s);
      for (const s of expected.htmlExcludes ?? []) expect(result.html, `${slug}: html`).not.toContain(s);
      for (const re of expected.warningsMatch ?? []) {
        expect(result.warnings.some((w) => new RegExp(re).test(w)), `${slug}: a warning matching ${re} in ${JSON.stringify(result.warnings)}`).toBe(true);
      }
      // Invariants every extraction keeps.
      expect(result.text).not.toMatch(/\n{3,}/);
      expect(result.text).toBe(result.text.trim());
      expect(result.wordCount).toBeGreaterThan(0);
      expect(result.readingMinutes).toBeGreaterThanOrEqual(1);
    });
  }
});
