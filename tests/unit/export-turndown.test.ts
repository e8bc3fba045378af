import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../app/capture/extract.js';
import { codeLanguage, htmlToMarkdown } from '../../app/export/turndown.js';
import { parseFragment } from '../../app/export/html-dom.js';

const SHA = 'ab'.repeat(32);
const toImages = { imageSrc: (sha: string) => `images/${sha.slice(0, 16)}.png` };

/** Raw HTML left in Markdown, apart from the <sup>/<sub> Markdown cannot express. */
function rawHtmlTags(md: string): string[] {
  return [...md.matchAll(/<\/?([a-z][a-z0-9-]*)\b[^>]*>/gi)].map((m) => m[1]!.toLowerCase()).filter((t) => t !== 'sup' && t !== 'sub');
}

describe('htmlToMarkdown', () => {
  it('turns a table with a header row into GFM pipes', () => {
    const md = htmlToMarkdown('<table><thead><tr><th>City</th><th>Rivers</th></tr></thead><tbody><tr><td>Paris</td><td>1</td></tr></tbody></table>', toImages);
    expect(md).toContain('| City | Rivers |');
    expect(md).toMatch(/\| -+ \| -+ \|/);
    expect(md).toContain('| Paris | 1');
  });

  it('flattens cells holding lists and code so the table is still Markdown, not HTML', () => {
    const md = htmlToMarkdown(
      '<table><tr><th>Name</th><th>Code</th></tr><tr><td><p>first</p><ul><li>a</li><li>b</li></ul></td><td><code>x | y</code></td></tr></table>',
      toImages,
    );
    expect(rawHtmlTags(md)).toEqual([]);
    expect(md).toContain('| Name | Code');
    expect(md).toMatch(/first\s+• a\s+• b/);
    expect(md).toContain('`x \\| y`');
  });

  it('fences code blocks with the language the stored HTML kept, and longer fences around backticks', () => {
    const md = htmlToMarkdown('<pre><code lang="js">const a = 1;\n// ``` inside\n</code></pre>', toImages);
    expect(md).toContain('````js\nconst a = 1;\n// ``` inside\n````');
    const plain = htmlToMarkdown('<pre>plain text\n  indented</pre>', toImages);
    expect(plain).toContain('```\nplain text\n  indented\n```');
  });

  it('reads the language from data-lang or a language- class when present', () => {
    expect(codeLanguage(parseFragment('<pre><code class="language-python">x</code></pre>').firstElementChild!)).toBe('python');
    expect(codeLanguage(parseFragment('<pre data-lang="Rust"><code>x</code></pre>').firstElementChild!)).toBe('rust');
    expect(codeLanguage(parseFragment('<pre><code lang="a b">x</code></pre>').firstElementChild!)).toBe('');
  });

  it('writes figures as the image then an italic caption line, with relative image paths', () => {
    const md = htmlToMarkdown(`<figure><img src="folio-asset:${SHA}" alt="A [river]"><figcaption>The <em>Seine</em> at dawn</figcaption></figure>`, toImages);
    expect(md).toContain(`![A \\[river\\]](images/${SHA.slice(0, 16)}.png)\n\n_The \\_Seine\\_ at dawn_`);
  });

  it('drops images the export has no file for, instead of leaving folio-asset links', () => {
    const md = htmlToMarkdown(`<p>before <img src="folio-asset:${SHA}" alt="x"> after</p>`, { imageSrc: () => null });
    expect(md).not.toContain('folio-asset');
    expect(md).toContain('before');
  });

  it('keeps strikethrough, highlights, sup/sub and line breaks, and no wrapper HTML', () => {
    const md = htmlToMarkdown(
      '<article><section><div><span>Water</span> is H<sub>2</sub>O, E = mc<sup>2</sup>, <mark>key point</mark>, <s>old</s> <del>gone</del><br>next line</div></section></article>',
      toImages,
    );
    expect(md).toContain('H<sub>2</sub>O');
    expect(md).toContain('mc<sup>2</sup>');
    expect(md).toContain('==key point==');
    expect(md).toContain('~~old~~ ~~gone~~');
    expect(md).toMatch(/gone~~ {2}\nnext line/);
    expect(rawHtmlTags(md)).toEqual([]);
  });
});

// The real thing: every fixture page through Folio's extractor and sanitizer, then to Markdown.
describe('htmlToMarkdown on extracted fixture pages', () => {
  const pagesDir = join(import.meta.dirname, '..', 'fixtures', 'pages');
  const slugs = readdirSync(pagesDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(pagesDir, d.name, 'source.html')))
    .map((d) => d.name);

  it('finds fixture pages', () => expect(slugs.length).toBeGreaterThan(5));

  it.each(slugs)('%s leaves no raw HTML apart from sup/sub and keeps the text', (slug) => {
    let extraction;
    try {
      extraction = extractArticle(readFileSync(join(pagesDir, slug, 'source.html'), 'utf8'), `http://fixtures.test/${slug}/`);
    } catch (err) {
      // Only the page made to have no article may be refused by the extractor.
      expect(slug, String(err)).toBe('no-article');
      return;
    }
    const md = htmlToMarkdown(extraction.html, toImages);
    for (const tag of ['<div', '<span', '<figure', '<table', '<section', '<article', '<p>', '<img']) expect(md, `${slug}: ${tag}`).not.toContain(tag);
    expect(rawHtmlTags(md)).toEqual([]);
    const firstWords = extraction.text.split(/\s+/).filter((w) => /^\p{L}{4,}$/u.test(w)).slice(0, 5);
    for (const w of firstWords) expect(md).toContain(w);
  });
});
