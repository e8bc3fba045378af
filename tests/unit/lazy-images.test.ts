import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { isPlaceholderSrc, resolveLazyImages } from '../../app/capture/lazy-images.js';
import { dataUri, gifBytes, pngBytes } from '../helpers/image-bytes.js';

/** Runs the lazy-image pass on a fragment and returns the resulting body HTML. */
function resolve(html: string): string {
  const document = new JSDOM(`<body>${html}</body>`).window.document;
  resolveLazyImages(document);
  return document.body.innerHTML;
}

describe('isPlaceholderSrc', () => {
  it.each([
    ['nothing', ''],
    ['about:blank', 'about:blank'],
    ['a 1×1 GIF', dataUri('image/gif', gifBytes(1, 1))],
    ['the classic 1×1 GIF', 'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7'],
    ['a 1×1 PNG', dataUri('image/png', pngBytes(1, 1))],
    ['an empty aspect-ratio SVG', "data:image/svg+xml,%3Csvg%20xmlns='http://www.w3.org/2000/svg'%20viewBox='0%200%20800%20533'%3E%3C/svg%3E"],
    ['lazy.gif', '/assets/lazy.gif'],
    ['blank-1x1.png', 'https://cdn.example/img/blank-1x1.png'],
    ['spacer2.gif', 'spacer2.gif'],
    ['placeholder.svg?v=2', '/theme/placeholder.svg?v=2'],
  ])('treats %s as a placeholder', (_what, src) => {
    expect(isPlaceholderSrc(src)).toBe(true);
  });

  it.each([
    ['a photo', 'https://cdn.example/photos/harbor.jpg'],
    ['a 24×16 inline PNG', dataUri('image/png', pngBytes(24, 16))],
    ['an SVG that draws something', "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'%3E%3Ccircle r='4'/%3E%3C/svg%3E"],
    ['a file whose name merely contains "lazy"', '/img/lazyload-diagram.png'],
    ['a screenshot of a loading screen', '/img/loading-screen.png'],
  ])('keeps %s', (_what, src) => {
    expect(isPlaceholderSrc(src)).toBe(false);
  });
});

describe('resolveLazyImages', () => {
  it('prefers data-src over a blurred preview in src', () => {
    expect(resolve('<img src="/thumbs/harbor-20px.jpg" data-src="/photos/harbor.jpg" alt="h">')).toBe(
      '<img src="/photos/harbor.jpg" data-src="/photos/harbor.jpg" alt="h">',
    );
  });

  it('moves data-srcset to srcset and takes src from it when src is a placeholder', () => {
    expect(resolve('<img src="lazy.gif" data-srcset="a-400.jpg 400w, a-1200.jpg 1200w">')).toBe(
      '<img src="a-1200.jpg" data-srcset="a-400.jpg 400w, a-1200.jpg 1200w" srcset="a-400.jpg 400w, a-1200.jpg 1200w">',
    );
  });

  it('falls back to any data-* attribute holding an image URL', () => {
    expect(resolve('<img src="data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7" data-hires-file="/p/full.webp">')).toContain(
      'src="/p/full.webp"',
    );
  });

  it('replaces a placeholder with its noscript fallback, keeping the placeholder alt if the fallback has none', () => {
    expect(resolve('<figure><img src="lazy.gif" class="js-lazy" alt="Harbor"><noscript><img src="/p/harbor.jpg"></noscript></figure>')).toBe(
      '<figure><img src="/p/harbor.jpg" alt="Harbor"></figure>',
    );
  });

  it('unwraps a noscript image with no image before it, and drops one that duplicates a real image', () => {
    expect(resolve('<p>Text</p><noscript><img src="/p/only.jpg" alt="only"></noscript>')).toBe('<p>Text</p><img src="/p/only.jpg" alt="only">');
    expect(resolve('<img src="/p/real.jpg"><noscript><img src="/p/real.jpg"></noscript>')).toBe('<img src="/p/real.jpg">');
  });

  it('folds <picture> sources into the img, using a media-free source first', () => {
    expect(
      resolve(
        '<picture><source media="(max-width: 600px)" srcset="small.webp"><source srcset="big.webp 1x, big@2x.webp 2x" type="image/webp"><img src="lazy.gif" alt="p"></picture>',
      ),
    ).toBe('<img src="big@2x.webp" alt="p" srcset="big.webp 1x, big@2x.webp 2x">');
  });

  it('keeps the img of a <picture> that already has a real src, and lazy sources count', () => {
    expect(resolve('<picture><source data-srcset="x.avif 1x"><img src="/p/x.jpg" alt="x"></picture>')).toBe(
      '<img src="/p/x.jpg" alt="x" srcset="x.avif 1x">',
    );
  });

  it('builds an img for a <picture> that has only sources', () => {
    expect(resolve('<picture><source srcset="only.webp 800w"></picture>')).toBe('<img src="only.webp" srcset="only.webp 800w">');
  });

  it('removes an image that is only a placeholder', () => {
    expect(resolve('<p>a<img src="spacer.gif" width="1" height="1">b</p>')).toBe('<p>ab</p>');
    expect(resolve('<p>a<img>b</p>')).toBe('<p>ab</p>');
  });

  it('leaves real images and inline data images alone', () => {
    const inline = dataUri('image/png', pngBytes(24, 16));
    const html = `<img src="/p/a.jpg" srcset="/p/a.jpg 1x, /p/a@2x.jpg 2x" alt="a"><img src="${inline}" alt="swatch">`;
    expect(resolve(html)).toBe(html);
  });
});
