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

/** Element names an ad label sits in. */
const LABEL_TAGS = new Set(['span', 'p', 'div', 'small', 'aside']);
/** Longer than any AD_LABEL ("sponsoredcontent" is 16), counting only non-space characters. */
const MAX_LABEL_CHARS = 20;

export function removeAdsAndOverlays(root: Element): void {
  removeNamedFurniture(root, (token) => AD_TOKEN.test(token) || OVERLAY_TOKEN.test(token));
  removeAdLabels(root);
}

/**
 * Removes span/p/div/small/aside elements whose whole text is an ad label and that hold no
 * media, with any ancestors left empty. Outer elements are decided before inner ones.
 *
 * One pass counts each element's non-space text, so only elements short enough to be a label
 * are looked at again: asking every div for its textContent and media (what this did before)
 * walked each subtree once per ancestor — 2.5 s of the corpus's 20 s extraction (issue #6).
 */
function removeAdLabels(root: Element): void {
  const short: Element[] = [];
  const visit = (el: Element): number => {
    let chars = 0;
    for (let child = el.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === 1) chars += visit(child as Element);
      else if (child.nodeType === 3 || child.nodeType === 4) chars += nonSpaceLength((child as CharacterData).data, MAX_LABEL_CHARS + 1);
      if (chars > MAX_LABEL_CHARS) chars = MAX_LABEL_CHARS + 1; // too long to be a label; the exact count no longer matters
    }
    if (chars > 0 && chars <= MAX_LABEL_CHARS && el !== root && LABEL_TAGS.has(el.localName)) short.push(el);
    return chars;
  };
  visit(root);
  // `short` is in post-order (children first); reversed, every element precedes its descendants.
  for (let i = short.length - 1; i >= 0; i--) {
    const el = short[i]!;
    if (!root.contains(el)) continue; // inside something removed already
    if (!AD_LABEL.test((el.textContent ?? '').trim()) || el.querySelector(MEDIA)) continue;
    removeWithEmptyParents(el, root);
  }
}

/** Non-whitespace characters in `text` (as String#trim sees whitespace), counting at most `limit`. */
function nonSpaceLength(text: string, limit: number): number {
  let n = 0;
  for (let i = 0; i < text.length && n < limit; i++) if (!WHITESPACE.test(text[i]!)) n++;
  return n;
}

const WHITESPACE = /\s/;

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
