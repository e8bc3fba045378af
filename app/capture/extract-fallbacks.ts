import { removeAdsAndOverlays, removeNamedFurniture } from './extract-boilerplate.js';

/**
 * What extraction uses when Readability finds no article: the JSON-LD `articleBody` (app-shell
 * pages that render client-side still ship it for search engines), else the page body with
 * the obvious chrome removed. Both return HTML that still goes through the sanitizer.
 */

/** articleBody is usually plain text with newlines; some sites put HTML in it. */
export function articleBodyHtml(document: Document, articleBody: string): string {
  if (/<\/?(?:p|br|div|h[1-6]|ul|ol|li|blockquote)\b/i.test(articleBody)) return articleBody;
  const container = document.createElement('div');
  for (const para of articleBody.split(/\r?\n/)) {
    const t = para.trim();
    if (!t) continue;
    const p = document.createElement('p');
    p.textContent = t; // textContent: the body is data, never markup
    container.append(p);
  }
  return container.innerHTML;
}

const CHROME_SELECTOR = [
  'script', 'style', 'noscript', 'template', 'nav', 'aside', 'form', 'button', 'input', 'select', 'textarea',
  'dialog', 'svg', 'math', '[hidden]', '[aria-hidden="true"]',
  '[role="navigation"]', '[role="banner"]', '[role="contentinfo"]', '[role="complementary"]', '[role="search"]',
  '[role="dialog"]', '[role="alertdialog"]',
].join(', ');
/** Class/id tokens of site furniture that is never the page's content. */
const CHROME_TOKEN = /^(?:newsletter|promo|popup|modal|overlay|share|sharing|social|skip-link|breadcrumbs?|(?:site|global)[-_](?:header|footer|nav))(?:$|[-_])/i;

/**
 * A detached copy of the page body minus navigation, site header/footer, asides, forms, ads
 * and overlays. Video players stay (the caller turns them into links before sanitizing).
 */
export function cleanedBody(document: Document): Element {
  const body = document.createElement('div');
  for (const child of (document.body ?? document.documentElement).childNodes) body.append(child.cloneNode(true));
  for (const el of [...body.querySelectorAll(CHROME_SELECTOR)]) el.remove();
  // Site-wide header/footer only: an <article>'s own <header> holds its title.
  for (const el of [...body.querySelectorAll('header, footer')]) if (!el.parentElement?.closest('article, main')) el.remove();
  removeAdsAndOverlays(body);
  removeNamedFurniture(body, (token) => CHROME_TOKEN.test(token));
  return body;
}
