/**
 * The few small HTML pages the bridge writes itself. They carry no script and no style (their
 * CSP allows nothing), and every value put in them is HTML-escaped.
 */

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string, head = ''): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer">${head}<title>${escapeHtml(title)}</title></head>
<body>
${body}
</body>
</html>
`;
}

export function unauthorizedPage(): string {
  return page(
    'Folio: access key needed',
    `<h1>Folio needs its access key</h1>
<p>This page only opens from the address that <code>folio serve</code> printed when it started
(it ends with <code>?token=…</code>). Copy that address into this browser's address bar.</p>
<p>Lost it? Stop the server (Ctrl-C) and run <code>folio serve</code> again; it prints the address each time.</p>`,
  );
}

export function missingBuildPage(rendererDir: string): string {
  return page(
    'Folio: interface not built',
    `<h1>Folio's interface has not been built</h1>
<p>The server is running, but <code>${escapeHtml(rendererDir)}</code> holds no <code>index.html</code>.
Run <code>npm run build</code> in the Folio folder, then reload this page.</p>`,
  );
}

/**
 * Sent instead of a redirect when the launch URL was opened from another site (the bookmarklet):
 * browsers do not send a SameSite=Strict cookie on a navigation another site started, even
 * after a redirect, so the UI would answer 401. A refresh started by this page is same-site,
 * so the cookie set here is sent with it.
 */
export function continuePage(target: string): string {
  const href = escapeHtml(target);
  return page(
    'Opening Folio…',
    `<p>Opening Folio… If nothing happens, <a href="${href}">continue to Folio</a>.</p>`,
    `<meta http-equiv="refresh" content="0; url=${href}">`,
  );
}

/**
 * The bookmarklet: a link to drag to the bookmarks bar. Clicked on any page, it opens Folio's
 * UI (in a new tab, or this one if pop-ups are blocked) with that page's address, which the
 * UI shows and saves. The address travels in the query string, not the fragment, because the
 * server must turn it into `/#add=…` on the page that follows the cookie handshake.
 */
export function bookmarkletHref(port: number, token: string): string {
  const base = `http://127.0.0.1:${port}/?token=${encodeURIComponent(token)}&add=`;
  return (
    `javascript:(function(){var u=${JSON.stringify(base)}+encodeURIComponent(location.href);` +
    `if(!window.open(u,'_blank'))location.href=u;})();void 0`
  );
}

export function bookmarkletPage(port: number, token: string): string {
  return page(
    'Folio: bookmarklet',
    `<h1>Save pages to Folio from your browser</h1>
<p>Drag this link to your bookmarks bar: <a href="${escapeHtml(bookmarkletHref(port, token))}">Save to Folio</a></p>
<p>Then, on any article, click the bookmark: Folio opens with that page's address and saves it.
Folio must be running (<code>folio serve --port ${port}</code>) for the bookmark to work.</p>
<p>The bookmark contains your access key: do not share it.</p>`,
  );
}
