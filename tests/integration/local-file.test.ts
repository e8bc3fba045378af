import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { JSDOM } from 'jsdom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBaseUrl } from '../../app/capture/local-file.js';
import { captureInput, isLocalFileInput, type CaptureResult } from '../../app/capture/pipeline.js';
import type { CapturedImage } from '../../app/core/types.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { gifBytes, jpegBytes, pngBytes } from '../helpers/image-bytes.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const fixtures = join(import.meta.dirname, '../fixtures/pages/singlefile');

const harbour = pngBytes(20, 14, [30, 80, 160]);
const boat = gifBytes(9, 7, [120, 60, 20]);
const secret = pngBytes(9, 9, [255, 0, 0]);
const small = pngBytes(6, 4, [1, 1, 1]);
const large = pngBytes(18, 12, [2, 2, 2]);
const remote = pngBytes(11, 11, [0, 200, 0]);

function record(images: CapturedImage[], suffix: string): CapturedImage {
  const found = images.find((i) => i.url.endsWith(suffix));
  if (!found) throw new Error(`no image record ending in ${suffix}: ${images.map((i) => i.url).join(', ')}`);
  return found;
}

describe('local files', () => {
  let root: string;
  let server: FixtureServer;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'folio-local-'));
    server = await startFixtureServer({ '/remote/photo.png': { headers: { 'content-type': 'image/png' }, body: remote } });
    await mkdir(join(root, 'saved/page_files/nested'), { recursive: true });
    await writeFile(join(root, 'outside-secret.png'), secret);
    const page = (await readFile(join(fixtures, 'browser-saved.html'), 'utf8')).replace('{{ORIGIN}}', server.origin);
    await writeFile(join(root, 'saved/page.html'), page);
    await writeFile(join(root, 'saved/page_files/harbour.png'), harbour);
    await writeFile(join(root, 'saved/page_files/nested/boat.gif'), boat);
    await writeFile(join(root, 'saved/page_files/small.png'), small);
    await writeFile(join(root, 'saved/page_files/large.png'), large);
    await writeFile(join(root, 'saved/page_files/style.css'), 'body { color: red }');
    await writeFile(join(root, 'saved/page_files/analytics.js'), 'throw new Error("must never run")');
    // A symlink inside the folder that points outside it must not be followed.
    await symlink(join(root, 'outside-secret.png'), join(root, 'saved/page_files/escape.png'));
    await mkdir(join(root, 'sf'));
    await writeFile(join(root, 'sf/saltmarsh.html'), await readFile(join(fixtures, 'source.html')));
  });
  afterAll(async () => {
    await server.close();
    await rm(root, { recursive: true, force: true });
  });

  describe('a SingleFile page (images as data: URIs, canonical link)', () => {
    let result: CaptureResult;
    beforeAll(async () => {
      result = await captureInput(join(root, 'sf/saltmarsh.html'));
    });

    it('takes the canonical URL as the page address and extracts the article', async () => {
      const { capture } = result;
      expect(capture.input).toBe(join(root, 'sf/saltmarsh.html'));
      expect(capture.url).toBe(pathToFileURL(join(root, 'sf/saltmarsh.html')).href);
      expect(capture.finalUrl).toBe('https://www.coastwatch.example/features/saltmarsh-restoration');
      expect(capture.canonicalUrl).toBe('https://www.coastwatch.example/features/saltmarsh-restoration');
      expect(capture.title).toBe('Bringing Back the Saltmarsh');
      expect(capture.byline).toBe('Tomasz Wren');
      expect(capture.siteName).toBe('Coastwatch');
      expect(capture.rendered).toBe(false);
      expect(capture.text).toContain('Ten years ago the field behind the sea wall at Holme Creek was grazing land');
      expect(capture.text).not.toContain('Get the Coastwatch newsletter');
      expect(capture.originalHtml).toBe(await readFile(join(fixtures, 'source.html'), 'utf8'));
    });

    it('stores the inline images once each, with sniffed types', () => {
      const { capture, blobs } = result;
      const stored = capture.images.filter((i) => 'sha256' in i);
      expect(stored.map((i) => ('sha256' in i ? i.type : ''))).toEqual(['image/png', 'image/jpeg']);
      expect(capture.images.every((i) => 'sha256' in i)).toBe(true);
      expect(blobs.map((b) => b.sha256).sort()).toEqual([sha(pngBytes(24, 16, [60, 120, 90])), sha(jpegBytes())].sort());
      expect(capture.html.match(/src="folio-asset:/g)).toHaveLength(3);
      expect(capture.html).not.toContain('data:');
    });
  });

  describe('a browser-saved page with a folder of images', () => {
    let result: CaptureResult;
    const pagePath = () => join(root, 'saved/page.html');
    beforeAll(async () => {
      result = await captureInput(pagePath());
    });

    it('reads images inside the page folder (including subfolders) and names them by file URL', () => {
      const { capture } = result;
      const url = (rel: string) => pathToFileURL(join(root, 'saved', rel)).href;
      expect(record(capture.images, '/harbour.png')).toEqual({ url: url('page_files/harbour.png'), sha256: sha(harbour), type: 'image/png', bytes: harbour.length });
      expect(record(capture.images, '/boat.gif')).toEqual({ url: url('page_files/nested/boat.gif'), sha256: sha(boat), type: 'image/gif', bytes: boat.length });
      // From a srcset the largest candidate is read, the smaller one never.
      expect(record(capture.images, '/large.png')).toMatchObject({ sha256: sha(large) });
      expect(result.blobs.some((b) => b.sha256 === sha(small))).toBe(false);
    });

    it('never reads files outside the folder, not through ../ and not through a symlink', () => {
      const { capture, blobs } = result;
      expect(blobs.some((b) => b.sha256 === sha(secret))).toBe(false);
      expect(record(capture.images, '/outside-secret.png')).toEqual({
        url: pathToFileURL(join(root, 'outside-secret.png')).href,
        error: expect.stringContaining("outside the saved page's folder"),
      });
      expect(record(capture.images, '/escape.png')).toMatchObject({ error: expect.stringContaining("outside the saved page's folder") });
      expect(record(capture.images, '/missing.png')).toMatchObject({ error: 'file not found next to the saved page' });
    });

    it('downloads remote images as usual, without leaking the local path as Referer', () => {
      const { capture } = result;
      expect(record(capture.images, '/remote/photo.png')).toMatchObject({ sha256: sha(remote), type: 'image/png' });
      const hit = server.requests.find((r) => r.path === '/remote/photo.png');
      expect(hit?.headers.referer).toBeUndefined();
    });

    it('uses the file URL as the address when the page names no web address', () => {
      const { capture } = result;
      expect(capture.url).toBe(pathToFileURL(pagePath()).href);
      expect(capture.finalUrl).toBe(capture.url);
      expect(capture.title).toBe('Notes From a Lighthouse Restoration');
      expect(capture.text).toContain('The lantern at Carrick Point had not been lit for thirty-one years');
      expect(capture.html).not.toMatch(/src="(file|data|https?):/);
      expect(capture.html.match(/src="folio-asset:/g)).toHaveLength(4);
    });
  });

  it('decodes a saved page in its declared legacy encoding', async () => {
    const body = Buffer.from(
      '<!DOCTYPE html><html><head><meta charset="windows-1252"><title>Caf\xe9 prices</title></head><body><article><h1>Caf\xe9 prices</h1>' +
        '<p>\x93Coffee now costs \x80 3,\x94 said the owner of the caf\xe9 on the corner, who has kept prices steady since the spring.</p></article></body></html>',
      'latin1',
    );
    await writeFile(join(root, 'legacy.html'), body);
    const { capture } = await captureInput(join(root, 'legacy.html'));
    expect(capture.text).toContain('“Coffee now costs € 3,” said the owner of the café');
    expect(capture.originalHtml).toContain('<title>Café prices</title>');
  });

  it('does not render local files, and says so', async () => {
    const { capture } = await captureInput(join(root, 'sf/saltmarsh.html'), { render: 'always' });
    expect(capture.rendered).toBe(false);
    expect(capture.warnings).toContain('rendering is not used for local files; the saved HTML was extracted as it is');
  });

  it('a missing file is FILE_NOT_FOUND naming the path; a folder is FILE_UNREADABLE', async () => {
    const missing = join(root, 'nope/absent.html');
    await expect(captureInput(missing)).rejects.toMatchObject({ code: 'FILE_NOT_FOUND', message: expect.stringContaining(missing) });
    await expect(captureInput('./definitely-not-here-folio.html')).rejects.toMatchObject({
      code: 'FILE_NOT_FOUND',
      message: expect.stringContaining('definitely-not-here-folio.html'),
    });
    await expect(captureInput(join(root, 'saved') + '/')).rejects.toMatchObject({ code: 'FILE_UNREADABLE' });
  });

  it('refuses file: URLs: local files are read only when given as a path', async () => {
    await expect(captureInput(pathToFileURL(join(root, 'sf/saltmarsh.html')).href)).rejects.toMatchObject({
      code: 'UNSUPPORTED_SCHEME',
      message: expect.stringContaining('add it as a file instead of a URL'),
    });
  });
});

describe('isLocalFileInput', () => {
  it('tells paths from web addresses', () => {
    for (const path of ['./a.html', '../x/a.htm', '/tmp/a', 'C:\\Users\\a\\page.html', 'D:/pages/a.html', 'saved.html', 'page.mhtml', '~/a.html']) {
      expect(isLocalFileInput(path), path).toBe(true);
    }
    for (const url of ['file:///tmp/a.html', 'https://example.com/a.html', 'http://x/', 'ftp://x/a.html', 'javascript:alert(1)', 'example.com/article', 'example.com']) {
      expect(isLocalFileInput(url), url).toBe(false);
    }
  });
});

describe('findBaseUrl', () => {
  const base = (html: string) => findBaseUrl(new JSDOM(html).window.document, html);

  it('prefers canonical, then <base>, then og:url, then the notes saved pages carry', () => {
    const all = '<link rel="canonical" href="https://a.example/c"><base href="https://b.example/"><meta property="og:url" content="https://c.example/o">';
    expect(base(all)).toBe('https://a.example/c');
    expect(base('<base href="https://b.example/dir/"><meta property="og:url" content="https://c.example/o">')).toBe('https://b.example/dir/');
    expect(base('<meta property="og:url" content="https://c.example/o">')).toBe('https://c.example/o');
    expect(base('<!--\n Page saved with SingleFile \n url: https://d.example/s \n saved date: x\n--><p>x')).toBe('https://d.example/s');
    expect(base('<!-- saved from url=(0024)https://e.example/page -->\n<html><p>x')).toBe('https://e.example/page');
  });

  it('resolves a relative canonical against <base>, and ignores non-web addresses', () => {
    expect(base('<base href="https://b.example/dir/"><link rel="canonical" href="post">')).toBe('https://b.example/dir/post');
    expect(base('<link rel="canonical" href="javascript:alert(1)"><meta property="og:url" content="file:///etc/passwd">')).toBeNull();
    expect(base('<link rel="canonical" href="/relative-without-base">')).toBeNull();
  });
});
