import { resolveUrl } from './sanitize-urls.js';

/**
 * Embeds cannot play offline and iframes are never kept:
 * - known video players (YouTube, Vimeo, Dailymotion, Twitter/X) become a paragraph
 *   "Video: <title or URL>" linking to the canonical watch page. This runs AFTER Readability,
 *   which is told (VIDEO_EMBED) to keep those players: a lone link paragraph in a wrapper div
 *   looks like boilerplate to Readability and would be dropped;
 * - social-post blockquotes (tweets and the like) become plain blockquotes BEFORE Readability,
 *   so neither its class heuristics nor the sanitizer's class stripping loses their text and link.
 */

/** Matches player URLs in embed attributes; Readability keeps iframes/embeds that match. */
export const VIDEO_EMBED =
  /\/\/(?:www\.|m\.|geo\.)?(?:youtube(?:-nocookie)?\.com\/(?:embed|v)\/|player\.vimeo\.com\/video\/|dailymotion\.com\/(?:embed\/video\/|player)|platform\.(?:twitter|x)\.com\/embed\/)/i;

/** Replaces known video players under `root` with watch links; other embeds are left to the sanitizer. */
export function convertVideoEmbeds(root: Element, document: Document, base: string): void {
  for (const frame of [...root.querySelectorAll('iframe, embed, object')]) {
    if (!root.contains(frame)) continue; // an <embed> inside an <object> already replaced
    const src = embedSource(frame);
    const watch = src ? videoWatchUrl(src, base) : null;
    if (watch) frame.replaceWith(videoLink(document, frame, watch));
  }
}

export function convertSocialQuotes(document: Document): void {
  for (const quote of [...document.querySelectorAll(SOCIAL_QUOTES)]) convertSocialQuote(document, quote);
}

function embedSource(el: Element): string | null {
  const attrs = ['src', 'data-src', 'data-lazy-src', 'data'];
  for (const a of attrs) {
    const v = el.getAttribute(a)?.trim();
    if (v && v !== 'about:blank') return v;
  }
  const movie = el.querySelector('param[name="movie" i]')?.getAttribute('value');
  return movie?.trim() || null;
}

const YOUTUBE_ID = /^[\w-]{6,}$/;

/** The public page for an embedded player URL, or null when it is not a known video player. */
export function videoWatchUrl(embedSrc: string, base: string): string | null {
  const url = resolveUrl(embedSrc, base);
  if (!url || !/^https?:$/.test(url.protocol)) return null;
  const host = url.hostname.replace(/^www\./, '').toLowerCase();
  const parts = url.pathname.split('/').filter(Boolean);

  if (/^(m\.)?youtube(-nocookie)?\.com$/.test(host)) {
    if ((parts[0] === 'embed' || parts[0] === 'v') && parts[1]) {
      const list = url.searchParams.get('list');
      if (parts[1] === 'videoseries' && list) return `https://www.youtube.com/playlist?list=${encodeURIComponent(list)}`;
      if (!YOUTUBE_ID.test(parts[1])) return null;
      const start = Number(url.searchParams.get('start'));
      return `https://www.youtube.com/watch?v=${parts[1]}${start > 0 ? `&t=${Math.floor(start)}s` : ''}`;
    }
    return null;
  }
  if (host === 'player.vimeo.com' && parts[0] === 'video' && /^\d+$/.test(parts[1] ?? '')) {
    const hash = url.searchParams.get('h'); // unlisted videos need their hash in the page URL
    return `https://vimeo.com/${parts[1]}${hash && /^\w+$/.test(hash) ? `/${hash}` : ''}`;
  }
  if (host === 'dailymotion.com' && parts[0] === 'embed' && parts[1] === 'video' && parts[2]) {
    return `https://www.dailymotion.com/video/${encodeURIComponent(parts[2])}`;
  }
  if (host === 'geo.dailymotion.com' && url.searchParams.get('video')) {
    return `https://www.dailymotion.com/video/${encodeURIComponent(url.searchParams.get('video')!)}`;
  }
  if (host === 'platform.twitter.com' || host === 'platform.x.com') {
    const id = url.searchParams.get('id');
    if (parts[0] === 'embed' && id && /^\d+$/.test(id)) return `https://twitter.com/i/status/${id}`;
  }
  return null;
}

/** Player titles that say nothing about the video; the URL is more useful then. */
const GENERIC_TITLE = /^(?:(?:youtube|vimeo|dailymotion|twitter|x)\s*)?(?:video\s*)?(?:player|embed(?:ded)?(?: content| video)?)?$/i;

function videoLink(document: Document, frame: Element, watch: string): Element {
  const title = (frame.getAttribute('title') ?? frame.getAttribute('aria-label') ?? '').trim().replace(/\s+/g, ' ');
  const a = document.createElement('a');
  a.setAttribute('href', watch);
  a.textContent = `Video: ${title && !GENERIC_TITLE.test(title) ? title : watch}`;
  // A <p> inside a <p> would be re-parsed apart; in running text the link alone suffices.
  if (frame.closest('p')) return a;
  const p = document.createElement('p');
  p.append(a);
  return p;
}

const SOCIAL_QUOTES = [
  'blockquote.twitter-tweet',
  'blockquote.twitter-video',
  'blockquote.instagram-media',
  'blockquote.tiktok-embed',
  'blockquote.bluesky-embed',
  'blockquote.mastodon-embed',
].join(', ');

function convertSocialQuote(document: Document, quote: Element): void {
  const plain = document.createElement('blockquote');
  plain.append(...quote.childNodes);
  const isVideo = quote.classList.contains('twitter-video');
  quote.replaceWith(plain);
  if (!isVideo) return;
  const status = [...plain.querySelectorAll('a[href]')]
    .map((a) => a.getAttribute('href')!)
    .find((href) => /\/status(?:es)?\/\d+/.test(href));
  if (!status) return;
  const watch = resolveUrl(status, 'https://twitter.com/')?.href;
  if (!watch) return;
  const p = document.createElement('p');
  const a = document.createElement('a');
  a.setAttribute('href', watch);
  a.textContent = `Video: ${watch}`;
  p.append(a);
  plain.after(p);
}
