/**
 * Page furniture Readability does not reliably drop because it sits inside the article
 * container: ad slots and their "Advertisement" labels, cookie/consent overlays. Removed from
 * the page before Readability runs, and from the body fallback.
 *
 * Class names are only a hint (a wrapper may be called "no-ads", a recipe card
 * "cookie-recipe"), so an element is removed by name only when it holds little text and no
 * headline: furniture is short, articles are not.
 */

/** One class or id token naming an ad slot: "ad", "ads", "ad-inline", "top-ad", "advertisement"… */
const AD_TOKEN = /^(?:ads?|adv|advert(?:isement)?s?|adsbygoogle|ad[-_].+|.+[-_]ads?|dfp[-_].+|google[-_]?ads?.*|sponsored(?:[-_]content)?)$/i;
/** Consent overlays. */
const OVERLAY_TOKEN = /cookie|consent|gdpr/i;
/** Labels left behind by ad slots. */
const AD_LABEL = /^(?:advertisement|advertisements|advert|ad|sponsored|sponsored content|anzeige|publicité|publicidad|pubblicità)$/i;
const MAX_FURNITURE_CHARS = 500;
const MEDIA = 'img, picture, video, iframe, embed, object';

export function removeAdsAndOverlays(root: Element): void {
  removeNamedFurniture(root, (token) => AD_TOKEN.test(token) || OVERLAY_TOKEN.test(token));
  for (const el of [...root.querySelectorAll('span, p, div, small, aside')]) {
    if (!root.contains(el)) continue; // inside something removed already
    if (el.querySelector(MEDIA) || !AD_LABEL.test((el.textContent ?? '').trim())) continue;
    removeWithEmptyParents(el, root);
  }
}

/** Removes short elements under `root` whose class or id has a token `isFurniture` accepts. */
export function removeNamedFurniture(root: Element, isFurniture: (token: string) => boolean): void {
  for (const el of [...root.querySelectorAll('[class], [id]')]) {
    if (!root.contains(el)) continue;
    const tokens = `${el.getAttribute('class') ?? ''} ${el.getAttribute('id') ?? ''}`.split(/\s+/).filter(Boolean);
    if (!tokens.some(isFurniture)) continue;
    if (el.querySelector('article, main, h1') || (el.textContent ?? '').replace(/\s+/g, ' ').trim().length > MAX_FURNITURE_CHARS) continue;
    el.remove();
  }
}

/** Removes `el`, then each ancestor left with no text and no media (up to `root`). */
function removeWithEmptyParents(el: Element, root: Element): void {
  let parent = el.parentElement;
  el.remove();
  while (parent && parent !== root && (parent.textContent ?? '').trim() === '' && !parent.querySelector(MEDIA)) {
    const next = parent.parentElement;
    parent.remove();
    parent = next;
  }
}
