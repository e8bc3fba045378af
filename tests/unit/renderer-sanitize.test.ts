// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { assetSha, isWebUrl, sanitizeArticleHtml } from '../../renderer/src/lib/sanitize.js';

const SHA = 'a'.repeat(44) + '0123456789abcdef0123'; // 64 hex digits, like a sha256
const assetUrl = (sha: string) => `assets/${sha}`;

function render(html: string): HTMLElement {
  const host = document.createElement('div');
  host.append(sanitizeArticleHtml(html, assetUrl));
  return host;
}

describe('sanitizeArticleHtml', () => {
  it('keeps article structure and text', () => {
    const host = render('<h2>Heading</h2><p>Some <em>emphasis</em> and <strong>bold</strong>.</p><ul><li>one</li></ul><pre><code>x = 1</code></pre>');
    expect(host.querySelector('h2')?.textContent).toBe('Heading');
    expect(host.querySelector('p em')?.textContent).toBe('emphasis');
    expect(host.querySelector('li')?.textContent).toBe('one');
    expect(host.querySelector('pre code')?.textContent).toBe('x = 1');
  });

  it('removes scripts, styles, frames, forms, svg and math, with their content', () => {
    const host = render(
      '<p>ok</p><script>alert(1)</script><style>p{color:red}</style><iframe src="https://x.test"></iframe>' +
        '<form action="https://x.test"><input name="q"><button>go</button></form>' +
        '<svg><script>alert(2)</script><circle/></svg><math><mi>x</mi></math><object data="x"></object><embed src="x">',
    );
    expect(host.querySelector('script, style, iframe, form, input, button, svg, math, object, embed')).toBeNull();
    expect(host.textContent).not.toContain('alert');
    expect(host.textContent).not.toContain('color:red');
    expect(host.querySelector('p')?.textContent).toBe('ok');
  });

  it('strips event handlers, style, id, class, name and data attributes', () => {
    const host = render('<p id="x" class="c" name="n" style="color:red" data-x="1" onclick="alert(1)" title="t" lang="fr">hi</p>');
    const p = host.querySelector('p')!;
    expect(p.getAttributeNames().sort()).toEqual(['lang', 'title']);
  });

  it('rewrites archive images to the transport URL and lazy-loads them', () => {
    const host = render(`<figure><img src="folio-asset:${SHA}" alt="Chart" width="640" height="480"><figcaption>Cap</figcaption></figure>`);
    const img = host.querySelector('img')!;
    expect(img.getAttribute('src')).toBe(`assets/${SHA}`);
    expect(img.getAttribute('alt')).toBe('Chart');
    expect(img.getAttribute('width')).toBe('640');
    expect(img.getAttribute('loading')).toBe('lazy');
  });

  it('drops every other image source, so reading never touches the network', () => {
    const host = render(
      '<img src="https://tracker.test/pixel.gif"><img src="data:image/png;base64,AAAA"><img src="javascript:alert(1)">' +
        `<img src="folio-asset:${SHA.slice(1)}"><img src="//cdn.test/x.png"><img src="x.png" srcset="https://a.test/1.png 1x">`,
    );
    const imgs = [...host.querySelectorAll('img')];
    expect(imgs).toHaveLength(6);
    for (const img of imgs) {
      expect(img.hasAttribute('src')).toBe(false);
      expect(img.hasAttribute('srcset')).toBe(false);
    }
  });

  it('keeps http(s) links, opening in a new window without opener or referrer', () => {
    const host = render('<p><a href="https://example.com/page" target="_self">link</a></p>');
    const a = host.querySelector('a')!;
    expect(a.getAttribute('href')).toBe('https://example.com/page');
    expect(a.getAttribute('target')).toBe('_blank');
    expect(a.getAttribute('rel')).toBe('noopener noreferrer');
  });

  it('removes hrefs that are not absolute http(s) but keeps the link text', () => {
    const host = render(
      '<a href="javascript:alert(1)">js</a><a href="data:text/html,x">data</a><a href="#fn1">note</a>' +
        '<a href="file:///etc/passwd">file</a><a href="mailto:a@b.c">mail</a><a href="/relative">rel</a>',
    );
    const links = [...host.querySelectorAll('a')];
    expect(links.map((a) => a.textContent)).toEqual(['js', 'data', 'note', 'file', 'mail', 'rel']);
    for (const a of links) expect(a.hasAttribute('href')).toBe(false);
  });

  it('defuses mutation-XSS style payloads', () => {
    const host = render('<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript><p>after</p>');
    expect(host.querySelector('[onerror]')).toBeNull();
    for (const img of host.querySelectorAll('img')) expect(img.hasAttribute('src')).toBe(false);
    expect(host.textContent).toContain('after');
  });
});

describe('assetSha / isWebUrl', () => {
  it('accepts only folio-asset:<64 hex> and lowercases it', () => {
    expect(assetSha(`folio-asset:${SHA.toUpperCase()}`)).toBe(SHA);
    expect(assetSha(`folio-asset:${SHA}x`)).toBeNull();
    expect(assetSha(`folio-asset://img/${SHA}`)).toBeNull();
    expect(assetSha(null)).toBeNull();
  });
  it('accepts only absolute http and https URLs', () => {
    expect(isWebUrl('https://a.test/x')).toBe(true);
    expect(isWebUrl('http://a.test')).toBe(true);
    expect(isWebUrl(' javascript:alert(1)')).toBe(false);
    expect(isWebUrl('/relative')).toBe(false);
    expect(isWebUrl('ftp://a.test')).toBe(false);
  });
});
