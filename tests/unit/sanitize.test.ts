import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseInertDocument, releaseDocument, sanitizerWindow } from '../../app/capture/dom-window.js';
import { extractArticle } from '../../app/capture/extract.js';
import { createArticleSanitizer } from '../../app/capture/sanitize.js';
import { policyFor } from '../../app/capture/sanitize-urls.js';

const xssSource = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'pages', 'xss-article', 'source.html'), 'utf8');
const PAGE = 'https://green.example/2024/compost/';

/** Everything the issue says sanitized HTML must never contain. */
const FORBIDDEN: [string, RegExp][] = [
  ['script element', /<script/i],
  ['event handler', /\son\w+=/i],
  ['javascript: URL', /javascript:/i],
  ['vbscript: URL', /vbscript:/i],
  ['data:text URL', /data:text/i],
  ['iframe', /<iframe/i],
  ['form', /<form/i],
  ['input', /<input/i],
  ['button', /<button/i],
  ['svg', /<svg/i],
  ['math', /<math/i],
  ['style attribute', /style=/i],
  ['style element', /<style/i],
  ['meta', /<meta/i],
  ['base', /<base/i],
  ['object', /<object/i],
  ['embed', /<embed/i],
  ['id attribute', /\sid=/i],
  ['name attribute', /\sname=/i],
  ['class attribute', /\sclass=/i],
];

const LEGIT = [
  'When I moved into a fourth-floor flat with no balcony',
  'The first lesson was that a sealed bucket of scraps is not compost.',
  'My current setup is a worm bin under the kitchen counter.',
  'Feeding is the part people get wrong.',
  'Moisture matters more than anything else.',
  'Harvesting takes about three months for the first batch.',
  'For people who cannot keep worms, bokashi is the other option',
  'Neither system is hard once the routine is set.',
];

function expectClean(html: string): void {
  for (const [what, pattern] of FORBIDDEN) expect(html, `${what} in sanitized HTML`).not.toMatch(pattern);
}

/** A sanitizer on the thread's jsdom host window, as extraction uses it. */
const sanitize = createArticleSanitizer(sanitizerWindow(), policyFor(PAGE, PAGE));
const clean = (html: string): string => sanitize(html).innerHTML;

describe('xss-article through extractArticle', () => {
  const result = extractArticle(xssSource, PAGE);

  it('contains nothing executable or clobbering', () => {
    expectClean(result.html);
  });

  it('keeps every legitimate paragraph', () => {
    for (const text of LEGIT) expect(result.text).toContain(text);
  });

  it('turns unsafe links into plain text and keeps the safe one', () => {
    expect(result.text).toContain('Read the worm care guide, the feeding chart, the printable checklist, the old FAQ, or the bokashi guide');
    // The <base href="https://evil.example/"> in the body is injected content, not the page's base.
    expect(result.html).toContain('<a href="https://green.example/2024/compost/guides/bokashi.html" rel="noopener noreferrer">bokashi guide</a>');
    expect(result.html).not.toContain('evil.example');
  });
});

describe('sanitizer on the raw hostile markup (no Readability in between)', () => {
  const doc = parseInertDocument(xssSource);
  const html = clean(doc.documentElement.outerHTML);
  releaseDocument(doc);

  it('contains nothing executable or clobbering', () => {
    expectClean(html);
    expect(html).not.toContain('evil.example');
    expect(html).not.toMatch(/alert\(/);
  });

  it('keeps every legitimate paragraph', () => {
    for (const text of LEGIT) expect(html).toContain(text);
  });
});

describe('allow-list', () => {
  it('keeps text structure exactly', () => {
    const structure =
      '<h2>Title</h2><h3>Sub</h3><p><em>a</em> <strong>b</strong> <sup>1</sup><sub>2</sub> <abbr title="HyperText">HTML</abbr> <time datetime="2024-03-05">today</time><br>line</p>' +
      '<blockquote><p>quote</p></blockquote><pre><code>let x = 1;\n  x++;</code></pre><hr>' +
      '<ol start="3"><li>three</li><li>four</li></ol><ul><li>dot</li></ul><dl><dt>term</dt><dd>definition</dd></dl>' +
      '<table><caption>cap</caption><thead><tr><th scope="col">h</th></tr></thead><tbody><tr><td colspan="2">c</td></tr></tbody></table>' +
      '<details open=""><summary>more</summary><p>hidden</p></details>' +
      '<figure><img src="https://green.example/a.png" alt="a" width="10" height="20" title="t"><figcaption>cap</figcaption></figure>';
    expect(clean(structure)).toBe(structure);
  });

  it('keeps only the attributes each tag is allowed', () => {
    expect(clean('<p title="t" class="c" id="i" data-x="1" aria-label="l" lang="fr" dir="rtl" align="left">x</p>')).toBe(
      '<p title="t" lang="fr" dir="rtl">x</p>',
    );
    expect(clean('<div href="https://a.example/" src="b.png" colspan="2">x</div>')).toBe('<div>x</div>');
    expect(clean('<img src="https://a.example/i.png" loading="lazy" decoding="async" sizes="100vw" usemap="#m" alt="">')).toBe(
      '<img src="https://a.example/i.png" alt="">',
    );
    expect(clean('<p lang="en&quot; onclick=&quot;x" dir="sideways">x</p>')).toBe('<p>x</p>');
  });

  it('drops SVG and MathML with their content', () => {
    expect(clean('<p>before</p><svg><text>svg text</text><foreignObject><p>inner</p></foreignObject></svg><math><mi>x</mi></math><p>after</p>')).toBe(
      '<p>before</p><p>after</p>',
    );
  });

  it('drops unknown elements but keeps their text', () => {
    expect(clean('<p><font color="red">red</font> <big>big</big> <blink>blink</blink></p><center>mid</center>')).toBe('<p>red big blink</p>mid');
  });
});

describe('URLs', () => {
  const hrefOf = (href: string): string => clean(`<a href="${href}">x</a>`);

  it.each([
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'java&#x09;script:alert(1)',
    '&#106;avascript&#58;alert(1)',
    ' javascript:alert(1)',
    'vbscript:msgbox(1)',
    'data:text/html;base64,PHNjcmlwdD4=',
    'file:///etc/passwd',
  ])('unwraps a link to %s into text', (href) => {
    expect(hrefOf(href)).toBe('x');
  });

  it('keeps http(s), mailto and tel links, made absolute, with rel', () => {
    expect(hrefOf('../about')).toBe('<a href="https://green.example/2024/about" rel="noopener noreferrer">x</a>');
    expect(hrefOf('mailto:a@b.example')).toBe('<a href="mailto:a@b.example" rel="noopener noreferrer">x</a>');
    expect(hrefOf('tel:+3112345')).toBe('<a href="tel:+3112345" rel="noopener noreferrer">x</a>');
    expect(clean('<a href="https://a.example/" target="_blank" rel="opener">x</a>')).toBe('<a href="https://a.example/" rel="noopener noreferrer">x</a>');
  });

  it('keeps data: images but no other data: or script URL as an image', () => {
    const png = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
    expect(clean(`<img src="${png}" alt="dot">`)).toBe(`<img src="${png}" alt="dot">`);
    expect(clean('<img src="data:text/html,<script>alert(1)</script>" alt="x">')).toBe('');
    expect(clean('<img src="javascript:alert(1)" alt="x">')).toBe('');
    expect(clean('<img src="file:///etc/passwd" alt="x">')).toBe('');
  });

  it('filters srcset candidates and makes them absolute', () => {
    expect(clean('<img src="a.png" srcset="a.png 1x, javascript:alert(1) 2x, data:image/gif;base64,R0lGOD 3x, /b@2x.png 2x">')).toBe(
      '<img src="https://green.example/2024/compost/a.png" srcset="https://green.example/2024/compost/a.png 1x, https://green.example/b@2x.png 2x">',
    );
  });

  it('gives an image without src its srcset choice, and drops one with neither', () => {
    expect(clean('<img srcset="s.png 400w, l.png 1200w" alt="x">')).toBe(
      '<img srcset="https://green.example/2024/compost/s.png 400w, https://green.example/2024/compost/l.png 1200w" alt="x" src="https://green.example/2024/compost/l.png">',
    );
    expect(clean('<p>a<img alt="nothing">b</p>')).toBe('<p>ab</p>');
  });
});
