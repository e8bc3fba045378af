import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sanitizerWindow } from '../../app/capture/dom-window.js';
import { extractArticle } from '../../app/capture/extract.js';
import { createArticleSanitizer } from '../../app/capture/sanitize.js';
import { policyFor } from '../../app/capture/sanitize-urls.js';
import type { Capture } from '../../app/core/types.js';
import { articleMarkdown } from '../../app/export/markdown.js';
import { openArchive } from '../../app/store/index.js';

/**
 * Code block languages survive capture: a `language-x` / `lang-x` / `highlight-source-x` class
 * (dropped by Readability and the sanitizer) becomes `data-lang="x"`, stored with the article,
 * and the Markdown export writes it on the fence. data-lang is allowed only on pre/code and only
 * with a short plain value.
 */
const PAGE = 'https://blog.example.com/posts/code';
const prose = (topic: string) =>
  `<p>${`This paragraph explains ${topic} in plain words, with enough sentences for the extractor to see an article here. `.repeat(4)}</p>`;

const page = `<!doctype html><html lang="en"><head><title>Writing loops in three languages</title></head><body>
<nav><a href="/">Home</a></nav>
<article><h1>Writing loops in three languages</h1>
${prose('JavaScript loops')}
<pre><code class="hljs language-javascript">for (const x of [1, 2]) console.log(x &lt; 3);</code></pre>
${prose('Python loops')}
<pre class="prettyprint lang-py">for x in range(3):\n    print(x)</pre>
${prose('Rust loops')}
<div class="highlight highlight-source-rust notranslate"><pre>for x in 0..3 { println!("{}", x); }</pre></div>
${prose('unlabelled code')}
<pre><code>plain code without a language</code></pre>
</article><footer>© blog</footer></body></html>`;

const dir = mkdtempSync(join(tmpdir(), 'folio-code-lang-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('code languages from capture to Markdown', () => {
  it('extraction → stored html with data-lang → fenced Markdown with the language', () => {
    const extraction = extractArticle(page, PAGE);
    expect(extraction.extractor).toBe('readability');
    expect(extraction.html).toContain('<code data-lang="javascript">');
    expect(extraction.html).toContain('<pre data-lang="py">');
    expect(extraction.html).toContain('<pre data-lang="rust">');
    expect(extraction.html).not.toMatch(/class=/);

    const archive = openArchive(join(dir, 'archive.db'));
    try {
      const capture: Capture = {
        ...extraction,
        input: PAGE,
        url: PAGE,
        finalUrl: PAGE,
        leadImage: null,
        images: [],
        rendered: false,
        originalHtml: page,
        fetchedAt: '2024-06-01T12:00:00.000Z',
      };
      const stored = archive.getArticle(archive.saveCapture(capture, []).id)!;
      expect(stored.html).toContain('data-lang="javascript"');

      const md = articleMarkdown(stored, () => null);
      expect(md).toContain('```javascript\nfor (const x of [1, 2]) console.log(x < 3);\n```');
      expect(md).toContain('```py\nfor x in range(3):\n    print(x)\n```');
      expect(md).toContain('```rust\nfor x in 0..3 { println!("{}", x); }\n```');
      expect(md).toContain('```\nplain code without a language\n```');
    } finally {
      archive.close();
    }
  });
});

describe('the sanitizer and data-lang', () => {
  const sanitize = createArticleSanitizer(sanitizerWindow(), policyFor(PAGE, PAGE));
  const clean = (html: string) => sanitize(html).innerHTML;

  it('maps classes on pre/code (also when sanitizing directly) and lower-cases the value', () => {
    expect(clean('<pre><code class="language-TypeScript">x</code></pre>')).toBe('<pre><code data-lang="typescript">x</code></pre>');
    expect(clean('<pre class="lang-c++">x</pre>')).toBe('<pre data-lang="c++">x</pre>');
    expect(clean('<pre><code class="language-c#">x</code></pre>')).toBe('<pre><code data-lang="c#">x</code></pre>');
    expect(clean('<pre data-lang="Go">x</pre>')).toBe('<pre data-lang="go">x</pre>');
  });

  it('drops data-lang elsewhere, with unsafe or overlong values, and ignores other data attributes', () => {
    expect(clean('<p data-lang="js">x</p>')).toBe('<p>x</p>');
    expect(clean('<pre data-lang="js onmouseover=alert(1)">x</pre>')).toBe('<pre>x</pre>');
    expect(clean('<pre data-lang="&quot;&gt;&lt;script&gt;">x</pre>')).toBe('<pre>x</pre>');
    expect(clean(`<pre data-lang="${'a'.repeat(21)}">x</pre>`)).toBe('<pre>x</pre>');
    expect(clean('<pre><code class="language-java`script">x</code></pre>')).toBe('<pre><code>x</code></pre>');
    expect(clean('<pre data-language="js" data-x="1">x</pre>')).toBe('<pre>x</pre>');
  });
});
