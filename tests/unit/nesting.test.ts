import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JSDOM } from 'jsdom';
import { flattenDeepNesting, MAX_DEPTH, nestingDepth } from '../../app/capture/nesting.js';
import { extractArticle } from '../../app/capture/extract.js';

const PROSE = Array.from(
  { length: 6 },
  (_, i) => `<p>Paragraph ${i}: the harbour barrier vote drew a crowd of residents who had waited years for an answer about the floods.</p>`,
).join('');
const nested = (n: number) => `<html><head><title>Deep</title></head><body>${'<div>'.repeat(n)}<h1>Deep page</h1>${PROSE}${'</div>'.repeat(n)}</body></html>`;

function realDepth(html: string): number {
  const dom = new JSDOM(html);
  let max = 0;
  const walk = (el: Element, d: number) => {
    max = Math.max(max, d);
    for (const c of el.children) walk(c, d + 1);
  };
  walk(dom.window.document.documentElement, 1);
  dom.window.close();
  return max;
}

describe('nestingDepth', () => {
  it('matches the parsed tree on ordinary markup, ignoring omitted end tags, scripts and comments', () => {
    const html =
      '<html><body><ul><li>a<li>b<li><p>c<p>d</ul>' +
      '<script>var t = "<div><div><div><div>";</script><!-- <div><div><div> -->' +
      '<div><blockquote><div><span>x</span></div></blockquote></div></body></html>';
    expect(nestingDepth(html)).toBe(realDepth(html));
    // Table rows and cells close themselves, so they count as a lower bound, never more.
    const table = '<html><body><table><tr><td><div>a</div><tr><td>b</table></body></html>';
    expect(nestingDepth(table)).toBeLessThanOrEqual(realDepth(table));
  });

  it('counts deep nesting', () => {
    expect(nestingDepth(nested(1000))).toBe(1003);
  });

  it('leaves every fixture page alone (real pages are far shallower than the cap)', () => {
    const dir = join(import.meta.dirname, '..', 'fixtures', 'pages');
    for (const slug of readdirSync(dir)) {
      let html: string;
      try {
        html = readFileSync(join(dir, slug, 'source.html'), 'utf8');
      } catch {
        continue;
      }
      const out = flattenDeepNesting(html);
      expect(out.depth, slug).toBeNull();
      expect(out.html, slug).toBe(html);
    }
  });
});

describe('deeply nested pages', () => {
  it.each([1000, 10_000])('%i nested divs: flattened, the article text kept, a warning says so', (n) => {
    const flat = flattenDeepNesting(nested(n));
    expect(flat.depth).toBe(n + 3);
    expect(nestingDepth(flat.html)).toBeLessThanOrEqual(MAX_DEPTH);
    const article = extractArticle(nested(n), 'http://deep.test/page');
    expect(article.text).toContain('Paragraph 5: the harbour barrier vote');
    expect(article.warnings.join(' ')).toMatch(new RegExp(`nests elements ${n + 3} deep`));
  });

  it('falls back to the article-shaped tags when even the shape tags are nested deep', () => {
    const html = `<html><body>${'<q>'.repeat(2000)}${PROSE}${'</q>'.repeat(2000)}</body></html>`;
    const flat = flattenDeepNesting(html);
    expect(flat.depth).toBeGreaterThan(MAX_DEPTH);
    expect(nestingDepth(flat.html)).toBeLessThanOrEqual(MAX_DEPTH);
    expect(flat.html).toContain('Paragraph 3');
  });
});
