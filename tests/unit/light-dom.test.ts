import { describe, expect, it } from 'vitest';
import { parseInertDocument, releaseDocument } from '../../app/capture/dom-window.js';
import { parseLightDocument } from '../../app/capture/light-dom.js';

/** The same markup through jsdom (the reference: a browser-grade DOM on the same parse5 parser). */
function jsdomBody(html: string): { head: string; body: string } {
  const doc = parseInertDocument(html);
  try {
    return { head: doc.head.innerHTML, body: doc.body.innerHTML };
  } finally {
    releaseDocument(doc);
  }
}

/**
 * The light document as extraction hands it on: serialized, then parsed by jsdom (the sanitizer's
 * DOM). linkedom's serializer differs from jsdom's in spelling only (`&#160;` for `&nbsp;`, `<x />`
 * in SVG, raw text in <textarea>), which the second parse evens out.
 */
function lightBody(html: string): { head: string; body: string } {
  const { document } = parseLightDocument(html);
  return jsdomBody(document.documentElement.outerHTML);
}

describe('the light document is the tree a browser builds', () => {
  const cases: Record<string, string> = {
    'no <html>, <head> or <body>': '<p>first</p><p>second</p>text after',
    'a <title> before any body content': '<title>Opening hours</title><meta name="x" content="y"><p>We open at nine.</p>',
    'misnested formatting (adoption agency)': '<p><b>bold <i>both</b> italic</i> plain</p>',
    'a <p> closed by a block': '<p>one<div>block</div>two</p>',
    'cells and rows outside a table': '<div><td>orphan cell</td><tr><td>row</td></tr></div>',
    'list items closing each other': '<ul><li>a<li>b<li>c</ul>',
    'entities and a non-breaking space': '<p>&amp;lt; &copy; a&nbsp;b &#x1F600; &notanentity;</p>',
    'attributes in source order, duplicates dropped': '<img src="a.png" alt="A" width="1" height="2" alt="again" data-x="3">',
    '<noscript> content as markup (scripting off, as in the sanitizer)': '<noscript><img src="fallback.jpg" alt="f"></noscript>',
    'SVG and MathML in HTML': '<svg viewBox="0 0 10 10"><foreignObject><p>inside</p></foreignObject><linearGradient/></svg><math><mi>x</mi></math>',
    'RCDATA: textarea and title in body': '<textarea><b>not bold</b> &amp;</textarea>',
    'comments kept where they are': '<p>a<!-- note -->b</p>',
    'a second <body> tag adds attributes only': '<body class="one"><p>x</p><body class="two" id="late"><p>y</p>',
  };
  for (const [what, html] of Object.entries(cases)) {
    it(what, () => {
      expect(lightBody(html)).toEqual(jsdomBody(html));
    });
  }

  it('fosters text and blocks out of a table to before it, as the HTML standard says', () => {
    // (Not compared with jsdom: its parse5 adapter appends fostered text after the table.)
    const { document } = parseLightDocument('<table><tr><td>cell</td></tr>stray text<p>para</p></table>');
    expect(document.body.innerHTML).toBe('stray text<p>para</p><table><tbody><tr><td>cell</td></tr></tbody></table>');
  });

  it('drops a leading byte-order mark, so a page’s <title> stays in its <head>', () => {
    const { document } = parseLightDocument('\uFEFF<!DOCTYPE html><html><head><title>Kept</title></head><body><p>x</p></body></html>');
    expect(document.title).toBe('Kept');
    expect(document.body.textContent).toBe('x');
  });

  it('counts the elements it created, implied ones included', () => {
    expect(parseLightDocument('<p>a</p><p>b</p>').elementCount).toBe(5); // html, head, body, p, p
    expect(parseLightDocument('').elementCount).toBe(3);
  });

  it('answers the queries extraction makes', () => {
    const { document } = parseLightDocument('<article><h1 id="t">Title</h1><p class="lead">One <a href="/x">link</a></p><p>Two</p></article>');
    expect(document.querySelectorAll('p').length).toBe(2);
    expect(document.querySelector('article > p.lead a[href]')?.getAttribute('href')).toBe('/x');
    expect(document.getElementsByTagName('p').length).toBe(2);
    expect(document.getElementById('t')?.textContent).toBe('Title');
    expect(document.documentElement.localName).toBe('html');
  });
});
