import { describe, expect, it } from 'vitest';
import { parseInertDocument, releaseDocument } from '../../app/capture/dom-window.js';

/**
 * The host window answers querySelectorAll for simple selector lists (tags, attribute presence)
 * by walking the tree itself (app/capture/dom-window.ts). Pinned here against jsdom's own
 * selector engine, reached through Element.matches, on a page with nesting, SVG, templates,
 * attributes in odd case and elements that share names with attributes.
 */
const PAGE = `<!DOCTYPE html><html><head><title>t</title><meta content="x" name="a"><meta name="b"></head><body>
  <div id="top" class="a"><p>one <a href="/x">x</a> <a name="n">no href</a></p>
    <section><img src="a.png"><img data-src="b.png" SRCSET="b.png 2x"><picture><source srcset="c.webp"><img src="c.png"></picture></section>
    <svg viewBox="0 0 1 1"><title>svg title</title><a href="#s"><text>t</text></a><foreignObject><p class="inner">in svg</p></foreignObject></svg>
    <template><p class="tpl">template content</p><img src="t.png"></template>
    <table><tr><td><h1>cell</h1></td></tr></table>
  </div>
  <article><h1 id="h">Heading</h1><h2>Sub</h2><figure><img src="f.png"><figcaption>cap</figcaption></figure><iframe src="https://e.example/"></iframe><embed src="e.swf"><object data="o"></object></article>
  <noscript><img src="ns.png"></noscript><p></p>
</body></html>`;

const SELECTORS = [
  'img', 'p', 'a', 'title', 'h1, h2, h3', 'object,embed,iframe', 'iframe, embed, object', '[id]', '[class], [id]',
  'a[href]', 'a[href], area[href]', 'img[src], source[src]', 'img[srcset], source[srcset]', 'meta[content]',
  'foreignobject', 'text', 'td, h1', 'noscript', 'template', 'source', 'nothing',
];

describe('querySelectorAll fast path for simple selector lists', () => {
  it.each(SELECTORS)('%s: the same elements in the same order as the selector engine', (selector) => {
    const doc = parseInertDocument(PAGE);
    try {
      const roots: ParentNode[] = [doc, doc.body, doc.querySelector('#top')!, doc.querySelector('article')!, doc.querySelector('svg')!];
      const fragment = doc.createDocumentFragment();
      fragment.append(doc.querySelector('figure')!.cloneNode(true), doc.querySelector('section')!.cloneNode(true));
      roots.push(fragment);
      for (const root of roots) {
        const expected = [...(root as Element).querySelectorAll('*')].filter((el) => el.matches(selector));
        const got = [...root.querySelectorAll(selector)];
        expect(got.length, `${selector} under ${(root as Element).localName ?? root.nodeName}`).toBe(expected.length);
        got.forEach((el, i) => expect(el).toBe(expected[i]));
      }
    } finally {
      releaseDocument(doc);
    }
  });

  it('finds what the page holds (not vacuously equal)', () => {
    const doc = parseInertDocument(PAGE);
    expect(doc.querySelectorAll('img').length).toBe(5); // template content is not part of the tree
    expect(doc.querySelectorAll('a[href]').length).toBe(2); // the HTML link and the SVG one
    expect(doc.querySelectorAll('img[srcset], source[srcset]').length).toBe(2); // SRCSET is srcset in HTML
    expect(doc.querySelectorAll('[class], [id]').length).toBe(3); // #top, the p inside the SVG, #h (not the template's)
    expect([...doc.querySelectorAll('h1, h2')].map((e) => e.textContent)).toEqual(['cell', 'Heading', 'Sub']);
    // Anything else still goes through the engine.
    expect([...doc.querySelectorAll('picture source, a:not([href])')].map((e) => e.localName)).toEqual(['a', 'source']);
    releaseDocument(doc);
  });
});
