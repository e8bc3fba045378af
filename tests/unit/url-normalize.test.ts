import { describe, expect, it } from 'vitest';
import { FolioError } from '../../app/core/errors.js';
import { isTrackingParam, normalizeUrl, siteHost, stripCredentials, tryNormalizeUrl } from '../../app/core/url-normalize.js';

describe('normalizeUrl', () => {
  it.each([
    // scheme and host case, default ports
    ['HTTPS://Example.COM/Path', 'https://example.com/Path'],
    ['http://example.com:80/a', 'http://example.com/a'],
    ['https://example.com:443/a', 'https://example.com/a'],
    ['https://example.com:8443/a', 'https://example.com:8443/a'],
    // fragments
    ['https://example.com/a#section-2', 'https://example.com/a'],
    ['https://example.com/a#', 'https://example.com/a'],
    // trailing slashes (root kept)
    ['https://example.com/a/', 'https://example.com/a'],
    ['https://example.com/a/b//', 'https://example.com/a/b'],
    ['https://example.com', 'https://example.com/'],
    ['https://example.com/', 'https://example.com/'],
    ['https://example.com/?q=1', 'https://example.com/?q=1'],
    // credentials
    ['https://user:secret@example.com/a', 'https://example.com/a'],
    ['https://user@example.com/a', 'https://example.com/a'],
    // IDN → punycode
    ['https://bücher.example/katalog', 'https://xn--bcher-kva.example/katalog'],
    ['https://例え.jp/記事', 'https://xn--r8jz45g.jp/%E8%A8%98%E4%BA%8B'],
    // surrounding whitespace
    ['  https://example.com/a  ', 'https://example.com/a'],
    // path case is meaningful
    ['https://example.com/CaseSensitive', 'https://example.com/CaseSensitive'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeUrl(input)).toBe(expected);
  });

  it.each([
    'utm_source=newsletter',
    'utm_medium=email',
    'utm_campaign=spring',
    'utm_term=x',
    'utm_content=y',
    'UTM_SOURCE=caps',
    'fbclid=IwAR0abc',
    'gclid=Cj0KCQ',
    'dclid=abc',
    'msclkid=abc',
    'mc_cid=abc',
    'mc_eid=abc',
    'mc_anything=abc',
    'ref_src=twsrc',
    'ref_url=https%3A%2F%2Fx',
    'igshid=abc',
    '_ga=2.1',
    '_hsenc=p2',
    '_hsmi=123',
    'yclid=1',
    'mkt_tok=abc',
    'oly_anon_id=1',
    'oly_enc_id=1',
    'vero_id=1',
    'vero_conv=1',
    'wt_mc=1',
    'spm=a2c',
  ])('drops the tracking parameter %s', (param) => {
    expect(normalizeUrl(`https://example.com/post?id=7&${param}`)).toBe('https://example.com/post?id=7');
    expect(normalizeUrl(`https://example.com/post?${param}`)).toBe('https://example.com/post');
  });

  it('keeps meaningful parameters that merely look similar', () => {
    expect(normalizeUrl('https://github.com/x/y/blob/f.md?ref=main')).toBe('https://github.com/x/y/blob/f.md?ref=main');
    expect(normalizeUrl('https://example.com/?page=2&sort=new')).toBe('https://example.com/?page=2&sort=new');
    expect(isTrackingParam('spam')).toBe(false);
    expect(isTrackingParam('utm')).toBe(false);
  });

  it('sorts the remaining parameters so order does not matter', () => {
    const a = normalizeUrl('https://example.com/s?b=2&a=1&c=3');
    const b = normalizeUrl('https://example.com/s?c=3&utm_source=x&a=1&b=2');
    expect(a).toBe('https://example.com/s?a=1&b=2&c=3');
    expect(b).toBe(a);
  });

  it('keeps repeated parameters and their encoding exactly', () => {
    expect(normalizeUrl('https://example.com/s?tag=b&tag=a')).toBe('https://example.com/s?tag=a&tag=b');
    expect(normalizeUrl('https://example.com/s?q=a%20b&flag')).toBe('https://example.com/s?flag&q=a%20b');
    expect(normalizeUrl('https://example.com/s?q=a+b')).toBe('https://example.com/s?q=a+b');
  });

  it('drops empty query segments and a query left empty', () => {
    expect(normalizeUrl('https://example.com/s?&&a=1&')).toBe('https://example.com/s?a=1');
    expect(normalizeUrl('https://example.com/s?')).toBe('https://example.com/s');
  });

  it('keeps hash-bang and hash-route fragments, which single-page sites use as paths', () => {
    expect(normalizeUrl('https://example.com/#!/post/1')).toBe('https://example.com/#!/post/1');
    expect(normalizeUrl('https://example.com/app#/post/1')).toBe('https://example.com/app#/post/1');
  });

  it('handles file URLs (local files) without web-only rules', () => {
    expect(normalizeUrl('file:///home/me/Saved%20Page.html#top')).toBe('file:///home/me/Saved%20Page.html');
  });

  it('makes the tracking variants of one article compare equal', () => {
    const variants = [
      'https://Blog.Example.com/2024/05/post/',
      'https://blog.example.com/2024/05/post?utm_source=twitter&utm_medium=social',
      'https://blog.example.com:443/2024/05/post#comments',
      'https://reader:pw@blog.example.com/2024/05/post?fbclid=abc',
      'https://blog.example.com/2024/05/post?mc_cid=1&mc_eid=2&_hsenc=3',
    ];
    expect(new Set(variants.map(normalizeUrl))).toEqual(new Set(['https://blog.example.com/2024/05/post']));
  });

  it('is idempotent', () => {
    for (const u of ['https://example.com/a/?b=2&a=1#x', 'http://EXAMPLE.com:80', 'https://例え.jp/記事?z=1&y=2']) {
      const once = normalizeUrl(u);
      expect(normalizeUrl(once)).toBe(once);
    }
  });

  it('refuses what is not an absolute URL with a message naming it', () => {
    expect(() => normalizeUrl('example.com/page')).toThrow(FolioError);
    expect(() => normalizeUrl('not a url')).toThrow(/"not a url" is not an absolute URL/);
    expect(tryNormalizeUrl('')).toBeNull();
    expect(tryNormalizeUrl('/relative/path')).toBeNull();
    expect(tryNormalizeUrl(undefined as unknown as string)).toBeNull();
    // A Windows path is a file path, not a URL with the scheme "c:".
    expect(tryNormalizeUrl('C:\\Users\\ann\\page.html')).toBeNull();
    expect(tryNormalizeUrl('c:/Users/ann/page.html')).toBeNull();
  });
});

describe('stripCredentials and siteHost', () => {
  it('removes only the credentials', () => {
    expect(stripCredentials('https://u:p@example.com/a?utm_source=x#f')).toBe('https://example.com/a?utm_source=x#f');
    expect(stripCredentials('https://example.com/a')).toBe('https://example.com/a');
    expect(stripCredentials('/home/me/page.html')).toBe('/home/me/page.html');
  });

  it('gives the host without www., empty for files', () => {
    expect(siteHost('https://WWW.Example.com/a')).toBe('example.com');
    expect(siteHost('https://news.example.com/a')).toBe('news.example.com');
    expect(siteHost('file:///tmp/a.html')).toBe('');
    expect(siteHost('nonsense')).toBe('');
  });
});

describe('cleanUrl (the stored, shown form)', () => {
  it('drops credentials, tracking parameters and plain fragments but keeps the path as given', async () => {
    const { cleanUrl } = await import('../../app/core/url-normalize.js');
    expect(cleanUrl('https://bob:pw@Example.com/a/?b=2&utm_source=x&a=1#section')).toBe('https://example.com/a/?b=2&a=1');
    expect(cleanUrl('http://example.com/gallery/')).toBe('http://example.com/gallery/');
    expect(cleanUrl('https://example.com/app#/route')).toBe('https://example.com/app#/route');
    expect(cleanUrl('not a url')).toBeNull();
  });
});
