import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArticleDetail, ArticleSummary, ListPage } from '../../app/core/article.js';
import type { QueueStatus } from '../../app/core/contract.js';
import { launchChromium, missingChromiumReason, saveScreenshot } from '../helpers/e2e-browser.js';
import { missingBuildReason, startFolioServe, type FolioServe } from '../helpers/e2e-serve.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { pngBytes } from '../helpers/image-bytes.js';

// Issue #7 §5 as a browser meets it: tests/integration/bridge.test.ts checks each refusal with
// hand-made requests against a stand-in core; this checks that a REAL page on another site,
// in the same browser profile that holds Folio's session cookie, can neither change the real
// archive (fetch, no-cors fetch, form post) nor read it (API, events, stored images). A control
// request to another 127.0.0.1 server proves the browser did send such requests, so the
// refusals are Folio's, not the browser's.

const skipReason = missingBuildReason() ?? missingChromiumReason();
if (skipReason) console.warn(`skipping tests/e2e/app-cross-site.test.ts: ${skipReason}`);

const PHOTO = pngBytes(20, 10, [200, 90, 30]);
const ARTICLE = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Mending nets on the quay</title></head><body>
<main><article><h1>Mending nets on the quay</h1>
${Array.from({ length: 6 }, (_, i) => `<p>Paragraph ${i + 1}: the net menders work in pairs along the quay wall, passing the shuttle back and forth, and they talk about the weather, the price of twine and the boats that did not come back this winter.</p>`).join('\n')}
<figure><img src="/photo.png" alt="Two menders at work" width="20" height="10"></figure>
</article></main></body></html>`;

describe.skipIf(skipReason !== null)('another site cannot use the Folio session (real folio serve, real Chromium)', () => {
  let serve: FolioServe;
  let site: FixtureServer;
  let browser: Browser;
  let article: ArticleDetail;

  beforeAll(async () => {
    site = await startFixtureServer({ '/story': { body: ARTICLE }, '/photo.png': { headers: { 'content-type': 'image/png' }, body: PHOTO } });
    serve = await startFolioServe();
    browser = await launchChromium();
    await serve.api('capture.add', { urls: [site.url('/story')], render: 'never' });
    for (let i = 0; ; i++) {
      const s = await serve.api<QueueStatus>('queue.status', {});
      if (s.saved === 1) break;
      if (i > 100 || s.failed > 0) throw new Error(`capture did not finish: ${JSON.stringify(s)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const [summary] = (await serve.api<ListPage<ArticleSummary>>('articles.list', {})).items;
    article = await serve.api<ArticleDetail>('articles.get', { id: summary!.id });
    expect(article.images.length).toBe(1);
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    await site?.close();
  });

  it('refuses writes and reads from a page on another site, even with the session cookie in the profile', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      // The user's session: the launch address sets the HttpOnly SameSite=Strict cookie.
      await page.goto(serve.launchUrl);
      await page.getByRole('option', { name: /Mending nets on the quay/ }).waitFor();
      expect((await context.cookies(serve.origin)).map((c) => c.name)).toContain('folio_token');

      // http://localhost:P is another site than http://127.0.0.1:Q for the browser.
      const evilOrigin = `http://localhost:${new URL(site.origin).port}`;
      const sha = article.images[0]!.sha256;
      const bridge = serve.origin;
      site.route('/evil', { body: '<!DOCTYPE html><title>evil</title><p>evil page</p>' });
      site.route('/control', { status: 204 });
      await page.goto(`${evilOrigin}/evil`);

      const outcome = await page.evaluate(
        async ({ bridge, sha, id, control }) => {
          const result: Record<string, string> = {};
          const json = { 'content-type': 'application/json' };
          const body = JSON.stringify({ ids: [id] });
          // 1. A CORS request with JSON (preflighted) that would delete the article.
          result.corsDelete = await fetch(`${bridge}/api/articles.delete`, { method: 'POST', credentials: 'include', headers: json, body })
            .then((r) => `answered ${r.status}`, (e: Error) => `failed: ${e.name}`);
          // 2. A "simple" no-cors request: the browser sends it without asking; the answer is opaque.
          // Whether the browser reports it as sent (opaque) or failed does not matter; the archive does.
          const settle = (p: Promise<Response>) => p.then((r) => `opaque ${r.type}`, (e: Error) => `failed: ${e.message}`);
          result.noCorsDelete = await settle(fetch(`${bridge}/api/articles.delete`, { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'content-type': 'text/plain' }, body }));
          result.noCorsArchive = await settle(fetch(`${bridge}/api/articles.setFlags`, { method: 'POST', mode: 'no-cors', credentials: 'include', body: JSON.stringify({ ids: [id], archived: true }) }));
          // 3. Reading the library.
          result.corsList = await fetch(`${bridge}/api/articles.list`, { method: 'POST', credentials: 'include', headers: json, body: '{}' })
            .then(async (r) => `read ${(await r.text()).slice(0, 80)}`, (e: Error) => `failed: ${e.name}`);
          // 4. A stored image embedded cross-site (would reveal what the user archived).
          result.image = await new Promise<string>((done) => {
            const img = new Image();
            img.onload = () => done(`loaded ${img.naturalWidth}px`);
            img.onerror = () => done('error');
            img.src = `${bridge}/assets/${sha}`;
          });
          // 5. The event stream.
          result.events = await new Promise<string>((done) => {
            const es = new EventSource(`${bridge}/api/events`, { withCredentials: true });
            es.onopen = () => (es.close(), done('open'));
            es.onerror = () => (es.close(), done('error'));
          });
          // Control: the same kind of no-cors POST to another 127.0.0.1 server does arrive there.
          result.control = await settle(fetch(control, { method: 'POST', mode: 'no-cors', body: 'ping' }));
          return result;
        },
        { bridge, sha, id: article.id, control: `${site.origin}/control` },
      );

      // 6. A classic form post from the evil page (top-level navigation, text/plain body).
      await page.setContent(
        `<form method="post" action="${bridge}/api/articles.delete" enctype="text/plain"><input name='{"ids":[${article.id}],"x":"' value='"}'></form>`,
      );
      const formResponse = page.waitForResponse((r) => r.url() === `${bridge}/api/articles.delete`);
      await page.locator('form').evaluate((f) => (f as HTMLFormElement).submit());
      const formStatus = (await formResponse).status();

      expect(outcome.corsDelete).toBe('failed: TypeError');
      expect(outcome.corsList).toBe('failed: TypeError');
      expect(outcome.image).toBe('error');
      expect(outcome.events).toBe('error');
      expect(formStatus).toBe(403);
      expect(site.requests.filter((r) => r.path === '/control').length).toBe(1);

      // The archive is untouched: the CLI on the same file still lists it, neither deleted nor archived.
      const listed = (await serve.cli(['list', '--json'])).trim().split('\n').map((l) => JSON.parse(l) as { id: number; archived: boolean });
      expect(listed).toEqual([expect.objectContaining({ id: article.id, archived: false })]);
    } catch (err) {
      await saveScreenshot(page, 'app-cross-site-failure');
      throw err;
    } finally {
      await context.close();
    }
  });
});
