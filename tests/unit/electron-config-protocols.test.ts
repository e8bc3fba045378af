import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppProtocolHandler, fileFor } from '../../main/app-protocol.js';
import { assetHash, createAssetProtocolHandler, type StoredImage } from '../../main/asset-protocol.js';
import { APP_CSP } from '../../main/security.js';

// The two custom-scheme handlers of the Electron shell, run in plain Node: protocol.handle
// gives them web-standard Requests and takes Responses, which Node has too. The renderer
// folder is a real temp folder with real files (and a secret beside it that must stay out).

let dir: string;
let rendererDir: string;
const app = () => createAppProtocolHandler(rendererDir);
const get = (url: string, method = 'GET') => app()(new Request(url, { method }));

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'folio-app-proto-'));
  rendererDir = join(dir, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Folio</title><script type="module" src="./assets/app.js"></script>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log("folio")');
  writeFileSync(join(rendererDir, 'assets', 'app.css'), 'body{margin:0}');
  writeFileSync(join(rendererDir, 'assets', 'font.woff2'), Buffer.from([0x77, 0x4f, 0x46, 0x32]));
  writeFileSync(join(rendererDir, 'assets', 'notes.unknownext'), 'what is this');
  writeFileSync(join(dir, 'secret.txt'), 'TOP SECRET');
  symlinkSync(join(dir, 'secret.txt'), join(rendererDir, 'assets', 'link.js'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('folio-app:// handler', () => {
  it('serves index.html with the strict CSP and hardening headers', async () => {
    const res = await get('folio-app://ui/index.html');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await res.text()).toContain('<title>Folio</title>');
    expect(res.headers.get('content-security-policy')).toBe(APP_CSP);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });

  it('the CSP is exactly the policy the brief specifies', () => {
    expect(APP_CSP).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' folio-asset:; font-src 'self'; " +
        "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
  });

  it('serves the root as index.html and bundles with their content types', async () => {
    expect(await (await get('folio-app://ui/')).text()).toContain('<title>Folio</title>');
    const js = await get('folio-app://ui/assets/app.js');
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toBe('console.log("folio")');
    expect((await get('folio-app://ui/assets/app.css')).headers.get('content-type')).toBe('text/css; charset=utf-8');
    const font = await get('folio-app://ui/assets/font.woff2');
    expect(font.headers.get('content-type')).toBe('font/woff2');
    expect(new Uint8Array(await font.arrayBuffer())).toEqual(new Uint8Array([0x77, 0x4f, 0x46, 0x32]));
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await get('folio-app://ui/assets/app.js', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String('console.log("folio")'.length));
    expect(await head.text()).toBe('');
    expect((await get('folio-app://ui/index.html', 'POST')).status).toBe(405);
  });

  const refused = [
    'folio-app://ui/../secret.txt',
    'folio-app://ui/assets/../../secret.txt',
    'folio-app://ui/%2e%2e/secret.txt',
    'folio-app://ui/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    'folio-app://ui/..%2fsecret.txt',
    'folio-app://ui/assets%5c..%5c..%5csecret.txt',
    'folio-app://ui/index.html%00.js',
    'folio-app://ui/assets/link.js', // a symlink to the secret
    'folio-app://ui/assets/notes.unknownext', // not a type we serve
    'folio-app://ui/missing.js',
    'folio-app://other-host/index.html',
    'folio-asset://ui/index.html',
    'file:///etc/passwd',
  ];
  it.each(refused)('refuses %s without leaking anything', async (url) => {
    const res = await get(url);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('TOP SECRET');
  });

  it('refuses URLs with credentials (a Request cannot even carry them; the parser checks anyway)', () => {
    expect(fileFor(rendererDir, 'folio-app://user:pw@ui/index.html')).toBeNull();
    expect(fileFor(rendererDir, 'folio-app://ui/index.html')).toBe(join(rendererDir, 'index.html'));
  });

  it('never maps a URL outside the renderer folder, whatever the URL parser does with dots', () => {
    for (const url of refused.slice(0, 7)) {
      const file = fileFor(rendererDir, url);
      if (file !== null) expect(file.startsWith(rendererDir + '/')).toBe(true);
    }
  });

  it('says what to do when the UI was never built', async () => {
    const res = await createAppProtocolHandler(join(dir, 'no-such-build'))(new Request('folio-app://ui/'));
    expect(res.status).toBe(404);
    expect(await res.text()).toMatch(/npm run build/);
  });
});

describe('folio-asset:// handler', () => {
  const png: StoredImage = { type: 'image/png', data: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]) };
  const sha = 'a'.repeat(64);
  const htmlSha = 'b'.repeat(64);
  const images = new Map<string, StoredImage>([
    [sha, png],
    [htmlSha, { type: 'text/html', data: new TextEncoder().encode('<script>alert(1)</script>') }],
  ]);
  const lookups: string[] = [];
  const handler = createAssetProtocolHandler((hash) => {
    lookups.push(hash);
    return images.get(hash) ?? null;
  });
  const fetchAsset = (url: string, method = 'GET') => handler(new Request(url, { method }));

  it('serves a stored image by hash with its type, nosniff and a no-op CSP', async () => {
    const res = await fetchAsset(`folio-asset://img/${sha}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'");
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(png.data);
  });

  it('answers 404 for an unknown hash and for stored blobs that are not images', async () => {
    expect((await fetchAsset(`folio-asset://img/${'c'.repeat(64)}`)).status).toBe(404);
    const html = await fetchAsset(`folio-asset://img/${htmlSha}`);
    expect(html.status).toBe(404);
    expect(await html.text()).not.toContain('<script>');
  });

  it.each([
    `folio-asset://img/${sha.toUpperCase()}`,
    `folio-asset://img/${sha.slice(1)}`,
    `folio-asset://img/${sha}0`,
    `folio-asset://img/${sha}/x`,
    `folio-asset://img/${sha}?x=1`,
    `folio-asset://img/../${'c'.repeat(64)}/../x`,
    `folio-asset://other/${sha}`,
    `folio-asset://img:81/${sha}`,
    `folio-asset:${sha}`,
    `folio-app://img/${sha}`,
    'folio-asset://img/%2e%2e%2fpackage.json',
    'folio-asset://img/',
  ])('refuses %s before touching the archive', async (url) => {
    const before = lookups.length;
    const res = await fetchAsset(url);
    expect(res.status).toBe(404);
    expect(lookups.length).toBe(before);
  });

  it('parses exactly the one URL shape', () => {
    expect(assetHash(`folio-asset://img/${sha}`)).toBe(sha);
    expect(assetHash(`folio-asset://IMG/${sha}`)).toBe(sha); // hosts are case-insensitive
    // Dot segments resolve before the check, so they can only ever land on a hash path.
    expect(assetHash(`folio-asset://img/x/../${sha}`)).toBe(sha);
    expect(assetHash(`folio-asset://img/${sha}#frag`)).toBeNull();
    expect(assetHash(`folio-asset://u:p@img/${sha}`)).toBeNull();
    expect(assetHash('not a url')).toBeNull();
  });

  it('refuses methods other than GET and HEAD, and turns a failing archive into a 404', async () => {
    expect((await fetchAsset(`folio-asset://img/${sha}`, 'POST')).status).toBe(404);
    const broken = createAssetProtocolHandler(() => Promise.reject(new Error('core restarting')));
    const res = await broken(new Request(`folio-asset://img/${sha}`));
    expect(res.status).toBe(404);
  });
});
