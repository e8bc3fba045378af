import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { convertSocialQuotes, convertVideoEmbeds, videoWatchUrl } from '../../app/capture/embeds.js';
import { extractArticle } from '../../app/capture/extract.js';

const BASE = 'https://blog.example/post/';

describe('videoWatchUrl', () => {
  it.each([
    ['https://www.youtube.com/embed/Xk3fL9p2QaE', 'https://www.youtube.com/watch?v=Xk3fL9p2QaE'],
    ['//www.youtube-nocookie.com/embed/Xk3fL9p2QaE?rel=0&start=90', 'https://www.youtube.com/watch?v=Xk3fL9p2QaE&t=90s'],
    ['https://youtube.com/v/Xk3fL9p2QaE', 'https://www.youtube.com/watch?v=Xk3fL9p2QaE'],
    ['https://www.youtube.com/embed/videoseries?list=PL1234abcd', 'https://www.youtube.com/playlist?list=PL1234abcd'],
    ['https://player.vimeo.com/video/76979871', 'https://vimeo.com/76979871'],
    ['https://player.vimeo.com/video/76979871?h=8f2a9c&badge=0', 'https://vimeo.com/76979871/8f2a9c'],
    ['https://www.dailymotion.com/embed/video/x8abc12', 'https://www.dailymotion.com/video/x8abc12'],
    ['https://geo.dailymotion.com/player.html?video=x8abc12', 'https://www.dailymotion.com/video/x8abc12'],
    ['https://platform.twitter.com/embed/Tweet.html?id=1765012345678901234', 'https://twitter.com/i/status/1765012345678901234'],
  ])('%s → %s', (src, watch) => {
    expect(videoWatchUrl(src, BASE)).toBe(watch);
  });

  it.each(['https://www.google.com/maps/embed?pb=1', 'https://www.youtube.com/channel/UC123', 'javascript:alert(1)', 'https://evil.example/embed/video/x1', '/embed/abc'])(
    'is null for %s',
    (src) => {
      expect(videoWatchUrl(src, BASE)).toBeNull();
    },
  );
});

function run(html: string, step: (document: Document) => void): string {
  const document = new JSDOM(`<body>${html}</body>`).window.document;
  step(document);
  return document.body.innerHTML;
}

describe('convertVideoEmbeds', () => {
  const convert = (html: string): string => run(html, (d) => convertVideoEmbeds(d.body, d, BASE));

  it('replaces a player with a "Video:" paragraph using its title', () => {
    expect(convert('<div><iframe src="https://player.vimeo.com/video/76979871" title="Canal walk, part 1"></iframe></div>')).toBe(
      '<div><p><a href="https://vimeo.com/76979871">Video: Canal walk, part 1</a></p></div>',
    );
  });

  it('uses the URL when the title is generic or missing, and reads lazy data-src', () => {
    expect(convert('<iframe data-src="https://www.youtube.com/embed/Xk3fL9p2QaE" src="about:blank" title="YouTube video player"></iframe>')).toBe(
      '<p><a href="https://www.youtube.com/watch?v=Xk3fL9p2QaE">Video: https://www.youtube.com/watch?v=Xk3fL9p2QaE</a></p>',
    );
  });

  it('inserts only the link inside a paragraph, and handles <object><param name=movie>', () => {
    expect(convert('<p>Watch: <iframe src="https://www.dailymotion.com/embed/video/x8abc12"></iframe></p>')).toBe(
      '<p>Watch: <a href="https://www.dailymotion.com/video/x8abc12">Video: https://www.dailymotion.com/video/x8abc12</a></p>',
    );
    expect(convert('<object><param name="movie" value="https://www.youtube.com/v/Xk3fL9p2QaE"><embed src="https://www.youtube.com/v/Xk3fL9p2QaE"></object>')).toBe(
      '<p><a href="https://www.youtube.com/watch?v=Xk3fL9p2QaE">Video: https://www.youtube.com/watch?v=Xk3fL9p2QaE</a></p>',
    );
  });

  it('leaves unknown embeds for the sanitizer', () => {
    const maps = '<iframe src="https://www.google.com/maps/embed?pb=1"></iframe>';
    expect(convert(maps)).toBe(maps);
  });
});

describe('convertSocialQuotes', () => {
  const convert = (html: string): string => run(html, (d) => convertSocialQuotes(d));

  it('turns a tweet into a plain blockquote with the same content', () => {
    expect(convert('<blockquote class="twitter-tweet" data-dnt="true"><p>Hi</p>— A (@a) <a href="https://twitter.com/a/status/1">date</a></blockquote>')).toBe(
      '<blockquote><p>Hi</p>— A (@a) <a href="https://twitter.com/a/status/1">date</a></blockquote>',
    );
  });

  it('adds a "Video:" link after a Twitter video embed', () => {
    expect(convert('<blockquote class="twitter-video"><p>Clip</p><a href="https://x.com/a/status/42">date</a></blockquote>')).toBe(
      '<blockquote><p>Clip</p><a href="https://x.com/a/status/42">date</a></blockquote><p><a href="https://x.com/a/status/42">Video: https://x.com/a/status/42</a></p>',
    );
  });
});

describe('embeds through extractArticle', () => {
  it('keeps a wrapped player as a link and drops other iframes', () => {
    const prose = '<p>The towpath runs for eleven kilometres between the two locks, and most of it is still walkable after the winter floods, although the section near the old mill is muddy until late spring.</p>';
    const page = `<html><body><article><h1>Walk</h1>${prose.repeat(3)}<figure class="video-wrapper"><iframe src="https://player.vimeo.com/video/76979871" title="Canal walk, part 1"></iframe><figcaption>Filmed in March.</figcaption></figure><iframe src="https://ads.example/slot"></iframe>${prose.repeat(2)}</article></body></html>`;
    const result = extractArticle(page, BASE);
    expect(result.html).toContain('<a href="https://vimeo.com/76979871" rel="noopener noreferrer">Video: Canal walk, part 1</a>');
    expect(result.html).not.toContain('iframe');
    expect(result.html).not.toContain('ads.example');
  });
});
