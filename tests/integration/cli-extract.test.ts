import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { pngBytes } from '../helpers/image-bytes.js';
import { ensureCliBuilt } from '../helpers/cli-build.js';

const root = join(import.meta.dirname, '../..');
const bin = join(root, 'bin/folio.js');
const builtMain = join(root, 'build/app/cli/main.js');
const gallery = readFileSync(join(root, 'tests/fixtures/pages/images-gallery/source.html'));
const singleFile = join(root, 'tests/fixtures/pages/singlefile/source.html');


interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Async spawn: the fixture server lives in this process and must keep answering. */
function folio(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('folio extract', () => {
  let server: FixtureServer;

  beforeAll(async () => {
    ensureCliBuilt('build/app/cli/commands/extract.js');
    server = await startFixtureServer({
      '/ok/photo.png': { headers: { 'content-type': 'image/png' }, body: pngBytes(12, 12, [9, 99, 199]) },
    });
    // Slow on purpose, so it finishes after the inputs listed behind it: output must still be in input order.
    server.route('/slow/index.html', async (_req, res) => {
      await new Promise((r) => setTimeout(r, 400));
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(gallery);
    });
  }, 120_000);
  afterAll(() => server.close());

  it('--json prints one JSON object per input, in input order, with errors inline; exit 1', async () => {
    const page = server.url('/slow/index.html');
    const missing = server.url('/nothing-here');
    const run = await folio(['extract', '--json', '--render', 'never', page, missing, singleFile]);
    expect(run.code).toBe(1);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    const [first, second, third] = lines.map((l) => JSON.parse(l));

    expect(Object.keys(first)).toEqual(
      expect.arrayContaining(['input', 'url', 'finalUrl', 'canonicalUrl', 'title', 'byline', 'siteName', 'publishedTime', 'lang', 'dir', 'excerpt', 'leadImage', 'wordCount', 'readingMinutes', 'text', 'html', 'images', 'extractor', 'rendered', 'warnings']),
    );
    expect(first).toMatchObject({ input: page, url: page, finalUrl: page, title: 'A Winter Walk Along the Harbour Wall', extractor: 'readability', rendered: false, lang: 'en' });
    expect(first.text).toContain('The tide was almost full');
    expect(first.wordCount).toBeGreaterThan(300);
    // This page's images are not served here: every one is recorded with its reason.
    expect(first.images.find((i: { url: string }) => i.url.endsWith('/photo1.jpg'))).toMatchObject({ error: expect.stringContaining('HTTP 404') });
    expect(first.images.find((i: { url: string }) => i.url.startsWith('data:image/gif'))).toMatchObject({ type: 'image/gif', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });

    expect(second).toEqual({ input: missing, error: { code: 'HTTP_STATUS', message: expect.stringContaining(missing) } });
    expect(second.error.message).toContain('HTTP 404');

    expect(third).toMatchObject({ input: singleFile, title: 'Bringing Back the Saltmarsh', canonicalUrl: 'https://www.coastwatch.example/features/saltmarsh-restoration' });
    expect(third.images).toHaveLength(2);
  });

  it('prints people-readable output that fits 80 columns; exit 0', async () => {
    server.route('/ok/index.html', {
      body: gallery.toString('utf8').replace('images/photo1.jpg', '/ok/photo.png'),
    });
    const run = await folio(['extract', '--render', 'never', server.url('/ok/index.html')]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Title: {3}A Winter Walk Along the Harbour Wall\n/);
    expect(run.stdout).toContain('Byline:  Maren Holt\n');
    expect(run.stdout).toContain('Site:    Field Notes\n');
    expect(run.stdout).toContain('Date:    2024-01-14T08:30:00.000Z\n');
    expect(run.stdout).toContain(`URL:     ${server.url('/ok/index.html')}\n`);
    expect(run.stdout).toMatch(/\nWords: {3}\d+ \(\d+ min read\)\n/);
    expect(run.stdout).toMatch(/\nImages: {2}2 saved, \d+ not saved\n/);
    expect(run.stdout).toContain('The tide was almost full when I reached the harbour wall');
    const long = run.stdout.split('\n').filter((l) => [...l].length > 80);
    expect(long).toEqual([]);
  });

  it('in human mode a failed input is one line on stderr and the others still print', async () => {
    const missing = server.url('/gone.html');
    const run = await folio(['extract', '--render', 'never', missing, singleFile]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`folio: ${missing}: HTTP 404 Not Found; check the address\n`);
    expect(run.stdout).toContain('Title:   Bringing Back the Saltmarsh');
  });

  it('--help describes the command and exits 0', async () => {
    const run = await folio(['extract', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: folio extract [options] <inputs...>');
    expect(run.stdout).toContain('--render <mode>');
    expect(run.stdout).toContain('FOLIO_CHROMIUM');
  });

  it('rejects a bad flag value as a usage error', async () => {
    const run = await folio(['extract', '--render', 'sometimes', 'https://example.com/']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('render mode "sometimes" is not one of auto, never, always');
    const timeout = await folio(['extract', '--timeout', 'soon', 'https://example.com/']);
    expect(timeout.code).toBe(2);
    expect(timeout.stderr).toContain('--timeout must be a whole number ≥ 1, got "soon"');
  });
});
