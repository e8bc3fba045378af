import { describe, expect, it } from 'vitest';
import { bestImageUrl, parseSrcset } from '../../app/capture/srcset.js';

describe('parseSrcset', () => {
  it('parses width and density descriptors', () => {
    expect(parseSrcset('a.jpg 480w, b.jpg 800w')).toEqual([
      { url: 'a.jpg', width: 480 },
      { url: 'b.jpg', width: 800 },
    ]);
    expect(parseSrcset('a.jpg, b.jpg 2x, c.jpg 1.5x')).toEqual([
      { url: 'a.jpg' },
      { url: 'b.jpg', density: 2 },
      { url: 'c.jpg', density: 1.5 },
    ]);
  });

  it('keeps commas that are part of a URL (CDN transforms)', () => {
    expect(parseSrcset('https://cdn.example/w_400,q_80/a.jpg 400w, https://cdn.example/w_1200,q_80/a.jpg 1200w')).toEqual([
      { url: 'https://cdn.example/w_400,q_80/a.jpg', width: 400 },
      { url: 'https://cdn.example/w_1200,q_80/a.jpg', width: 1200 },
    ]);
  });

  it('handles odd whitespace, trailing commas and newlines', () => {
    expect(parseSrcset('  \n a.jpg   1x ,\n\t b.jpg 2x ,, c.jpg,')).toEqual([
      { url: 'a.jpg', density: 1 },
      { url: 'b.jpg', density: 2 },
      { url: 'c.jpg' },
    ]);
  });

  it('drops candidates with invalid or conflicting descriptors', () => {
    expect(parseSrcset('a.jpg 100w 2x, b.jpg foo, c.jpg 0w, d.jpg 50h, e.jpg 300w')).toEqual([{ url: 'e.jpg', width: 300 }]);
  });

  it('accepts a height next to a width (future-compat) and ignores descriptors in parentheses', () => {
    expect(parseSrcset('a.jpg 300w 200h')).toEqual([{ url: 'a.jpg', width: 300, height: 200 }]);
    expect(parseSrcset('a.jpg (foo, bar), b.jpg 2x')).toEqual([{ url: 'b.jpg', density: 2 }]);
  });

  it('returns nothing for empty or missing values', () => {
    expect(parseSrcset('')).toEqual([]);
    expect(parseSrcset(null)).toEqual([]);
    expect(parseSrcset(' , , ')).toEqual([]);
  });

  it('parses a data: URL candidate as one URL', () => {
    expect(parseSrcset('data:image/png;base64,iVBORw0KGgo= 2x')).toEqual([{ url: 'data:image/png;base64,iVBORw0KGgo=', density: 2 }]);
  });
});

describe('bestImageUrl', () => {
  it('prefers the largest width', () => {
    expect(bestImageUrl('s.jpg 320w, xl.jpg 1600w, m.jpg 800w', 'fallback.jpg')).toBe('xl.jpg');
  });

  it('prefers width candidates over density ones in a mixed set', () => {
    expect(bestImageUrl('d.jpg 3x, w.jpg 200w', null)).toBe('w.jpg');
  });

  it('else the largest density, a bare URL counting as 1x', () => {
    expect(bestImageUrl('one.jpg, two.jpg 2x, half.jpg 0.5x', 'src.jpg')).toBe('two.jpg');
    expect(bestImageUrl('one.jpg, half.jpg 0.5x', 'src.jpg')).toBe('one.jpg');
  });

  it('else src, trimmed; null when there is nothing', () => {
    expect(bestImageUrl('', '  src.jpg ')).toBe('src.jpg');
    expect(bestImageUrl('bad.jpg 12q', 'src.jpg')).toBe('src.jpg');
    expect(bestImageUrl(undefined, '')).toBeNull();
    expect(bestImageUrl(null, null)).toBeNull();
  });
});
