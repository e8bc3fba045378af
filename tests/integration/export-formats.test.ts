import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JSDOM } from 'jsdom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportArticles } from '../../app/export/index.js';
import { BACKUP_ZIP_JSON, BackupFileSchema } from '../../app/export/json-backup.js';
import { referencedImages } from '../../app/export/images.js';
import { readZip, RICH_TITLE, seedArchive, type Seeded } from './export-fixtures.js';

const NOW = new Date('2024-06-02T12:00:00.000Z');
let s: Seeded;

beforeAll(() => {
  s = seedArchive();
});
afterAll(() => s.cleanup());

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Parses XML strictly (as an e-reader does) and returns the parser's error, if any. */
function xmlError(text: string, contentType: 'application/xhtml+xml' | 'application/xml' = 'application/xhtml+xml'): string | null {
  try {
    // jsdom throws on malformed XML; a parsererror element is checked too for other parsers' habits.
    const doc = new JSDOM(text, { contentType }).window.document;
    return doc.getElementsByTagName('parsererror')[0]?.textContent ?? null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

it('the XML check rejects HTML-style void tags and bare entities', () => {
  expect(xmlError('<html xmlns="http://www.w3.org/1999/xhtml"><body><p><br></p></body></html>')).not.toBeNull();
  expect(xmlError('<html xmlns="http://www.w3.org/1999/xhtml"><body><p>a &nbsp; b</p></body></html>')).not.toBeNull();
});

describe('html export', () => {
  it('writes self-contained pages: images as data: URIs, a strict CSP, no remote src, plus an index', async () => {
    const out = join(s.dir, 'html');
    const result = await exportArticles(s.archive, { format: 'html', out, now: NOW });
    expect(result.articles).toBe(8);
    const files = readdirSync(out).sort();
    expect(files).toContain('index.html');
    expect(files).toContain('2024-05-01-rivers-tables-code-figures.html');
    for (const file of files) {
      const html = readFileSync(join(out, file), 'utf8');
      expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">`);
      expect(html).not.toMatch(/\ssrc(set)?="(https?:|\/\/|folio-asset:)/i);
      expect(html).not.toMatch(/<script|<link /i);
    }
    const rich = new JSDOM(readFileSync(join(out, '2024-05-01-rivers-tables-code-figures.html'), 'utf8')).window.document;
    const srcs = [...rich.querySelectorAll('img')].map((img) => img.getAttribute('src')!);
    expect(srcs).toHaveLength(2);
    const inlined = srcs.map((src) => sha(Buffer.from(src.replace(/^data:image\/(png|jpeg);base64,/, ''), 'base64')));
    expect(inlined.sort()).toEqual(s.images.map((i) => i.sha256).sort());
    expect(rich.querySelector('h1')!.textContent).toBe(RICH_TITLE);
    expect(rich.querySelector('table td')!.textContent).toBe('Seine');
    const index = new JSDOM(readFileSync(join(out, 'index.html'), 'utf8')).window.document;
    const links = [...index.querySelectorAll('a')].map((a) => decodeURI(a.getAttribute('href')!));
    expect(links.sort()).toEqual(files.filter((f) => f !== 'index.html'));
  });
});

describe('epub export', () => {
  let entries: Awaited<ReturnType<typeof readZip>>;

  beforeAll(async () => {
    const out = join(s.dir, 'book.epub');
    const result = await exportArticles(s.archive, { format: 'epub', out, now: NOW, title: 'Rivers & more' });
    expect(result).toMatchObject({ articles: 8, images: 8 });
    entries = await readZip(out);
  });

  it('starts with an uncompressed mimetype entry without extra field', () => {
    const first = entries[0]!;
    expect(first.name).toBe('mimetype');
    expect(first.compressionMethod).toBe(0);
    expect(first.extraFieldLength).toBe(0);
    expect(first.data.toString('latin1')).toBe('application/epub+zip');
  });

  it('has a container pointing at an OPF whose manifest items all exist, with metadata and spine', () => {
    const container = entries.find((e) => e.name === 'META-INF/container.xml')!.data.toString('utf8');
    expect(xmlError(container, 'application/xml')).toBeNull();
    const opfPath = /full-path="([^"]+)"/.exec(container)![1]!;
    const opfText = entries.find((e) => e.name === opfPath)!.data.toString('utf8');
    expect(xmlError(opfText, 'application/xml')).toBeNull();
    const opf = new JSDOM(opfText, { contentType: 'application/xml' }).window.document;
    const meta = (tag: string) => opf.getElementsByTagName(tag)[0]?.textContent;
    expect(meta('dc:identifier')).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    expect(meta('dc:title')).toBe('Rivers & more');
    expect(meta('dc:language')).toBe('en');
    expect(opf.querySelector('meta[property="dcterms:modified"]')!.textContent).toBe('2024-06-02T12:00:00Z');
    const base = opfPath.replace(/[^/]+$/, '');
    const names = new Set(entries.map((e) => e.name));
    const items = [...opf.getElementsByTagName('item')];
    for (const item of items) expect(names.has(base + item.getAttribute('href')), item.getAttribute('href')!).toBe(true);
    const types = new Map(items.map((i) => [i.getAttribute('href')!, i.getAttribute('media-type')]));
    expect([...types].filter(([h]) => h.endsWith('.png')).every(([, t]) => t === 'image/png')).toBe(true);
    expect([...types].filter(([h]) => h.endsWith('.jpg')).map(([, t]) => t)).toEqual(['image/jpeg']);
    expect(items.find((i) => i.getAttribute('properties') === 'nav')!.getAttribute('href')).toBe('nav.xhtml');
    const spine = [...opf.getElementsByTagName('itemref')].map((r) => r.getAttribute('idref'));
    expect(spine).toHaveLength(8);
    // Every file in the zip except the container files is in the manifest.
    const manifest = new Set(items.map((i) => base + i.getAttribute('href')));
    expect([...names].filter((n) => n !== 'mimetype' && !n.startsWith('META-INF/') && n !== opfPath && !manifest.has(n))).toEqual([]);
  });

  it('has well-formed XHTML chapters with the article content and local images', () => {
    const chapters = entries.filter((e) => e.name.endsWith('.xhtml'));
    expect(chapters).toHaveLength(9); // 8 articles + nav
    for (const c of chapters) expect(xmlError(c.data.toString('utf8')), c.name).toBeNull();
    const rich = chapters.map((c) => c.data.toString('utf8')).find((t) => t.includes(RICH_TITLE.replace('&', '&amp;')))!;
    expect(rich).toMatch(/<img src="\.\.\/images\/[0-9a-f]{16}\.png" alt="Map of the Seine"\s*\/>/);
    expect(rich).toContain('<br />');
    expect(rich).not.toContain('folio-asset:');
    const cjk = chapters.map((c) => c.data.toString('utf8')).find((t) => t.includes('東京の川を歩く'))!;
    expect(cjk).toContain('xml:lang="ja"');
    const ncx = entries.find((e) => e.name.endsWith('toc.ncx'))!.data.toString('utf8');
    expect(xmlError(ncx, 'application/xml')).toBeNull();
    expect(ncx.match(/<navPoint /g)).toHaveLength(8);
    const images = entries.filter((e) => e.name.includes('/images/'));
    expect(images.map((e) => sha(e.data)).filter((h) => s.images.some((i) => i.sha256 === h))).toHaveLength(2);
  });
});

describe('json backup', () => {
  it('is a valid folio-backup with every article field and every referenced image (base64)', async () => {
    const out = join(s.dir, 'backup.json');
    await exportArticles(s.archive, { format: 'json', out, now: NOW });
    const parsed = BackupFileSchema.parse(JSON.parse(readFileSync(out, 'utf8')));
    expect(parsed).toMatchObject({ format: 'folio-backup', version: 1, exportedAt: NOW.toISOString(), imageData: 'base64' });
    expect(parsed.articles).toHaveLength(8);
    const rich = parsed.articles.find((a) => a.id === s.ids.rich)!;
    const stored = s.archive.getArticle(s.ids.rich!)!;
    const { images: _ignored, ...detail } = stored;
    expect(rich).toMatchObject(detail);
    expect(rich.originalHtml).toBe(s.archive.getOriginalHtml(s.ids.rich!));
    expect(rich.originalHtml).toContain('<!doctype html>');
    expect(parsed.articles.find((a) => a.id === s.ids.bookmark)).toMatchObject({ status: 'bookmark', originalHtml: null, html: '' });
    const byHash = new Map(parsed.images.map((i) => [i.sha256, i]));
    for (const a of parsed.articles) {
      for (const h of referencedImages(a.html)) {
        const img = byHash.get(h);
        expect(img, h).toBeDefined();
        const bytes = Buffer.from(img!.data!, 'base64');
        expect(sha(bytes)).toBe(h);
        expect(bytes.byteLength).toBe(img!.bytes);
      }
    }
    expect(parsed.images).toHaveLength(8);
  });

  it('zip variant holds backup.json without image data and images/<sha256> files', async () => {
    const out = join(s.dir, 'backup.zip');
    await exportArticles(s.archive, { format: 'json', out, now: NOW, tag: 'rivers' });
    const entries = await readZip(out);
    const json = BackupFileSchema.parse(JSON.parse(entries.find((e) => e.name === BACKUP_ZIP_JSON)!.data.toString('utf8')));
    expect(json.imageData).toBe('files');
    expect(json.articles.map((a) => a.id).sort()).toEqual([s.ids.rich, s.ids.twinA].sort());
    expect(json.images).toHaveLength(3);
    for (const img of json.images) {
      const file = entries.find((e) => e.name === `images/${img.sha256}`)!;
      expect(sha(file.data)).toBe(img.sha256);
      expect(file.data.byteLength).toBe(img.bytes);
    }
  });
});

describe('citations', () => {
  it('writes biblatex @online entries with split authors, escaped text and unique keys', async () => {
    const out = join(s.dir, 'refs.bib');
    await exportArticles(s.archive, { format: 'bibtex', out, now: NOW });
    const bib = readFileSync(out, 'utf8');
    expect(bib.match(/^@online\{/gm)).toHaveLength(8);
    expect(bib).toContain('@online{doe2024rivers,');
    expect(bib).toContain('author = {Doe, Jane and Smith, John}');
    expect(bib).toContain('title = {{Rivers: tables, code \\& figures}}');
    expect(bib).toContain('organization = {The example Journal}');
    expect(bib).toContain('date = {2024-03-05}');
    expect(bib).toContain('urldate = {2024-05-01}');
    expect(bib).toContain('author = {{Reuters Staff}}');
    const keys = [...bib.matchAll(/^@online\{([^,]+),/gm)].map((m) => m[1]!);
    expect(new Set(keys).size).toBe(8);
    const twins = keys.filter((k) => k.startsWith('reuters'));
    expect(twins).toHaveLength(2);
    expect(twins[1]).toBe(`${twins[0]}a`);
  });

  it('writes a CSL-JSON array of webpages', async () => {
    const out = join(s.dir, 'refs.json');
    await exportArticles(s.archive, { format: 'csl-json', out, now: NOW, ids: [s.ids.rich!, s.ids.cjk!] });
    const items = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>[];
    expect(items).toHaveLength(2);
    expect(items[0]).toMatchObject({
      id: 'doe2024rivers',
      type: 'webpage',
      title: RICH_TITLE,
      author: [
        { family: 'Doe', given: 'Jane' },
        { family: 'Smith', given: 'John' },
      ],
      'container-title': 'The example Journal',
      issued: { 'date-parts': [[2024, 3, 5]] },
      accessed: { 'date-parts': [[2024, 5, 1]] },
    });
    expect(String(items[0]!.URL)).toMatch(/^https:\/\/example\.com\//);
    expect(items[1]).toMatchObject({ author: [{ literal: '山田太郎' }], language: 'ja' });
  });
});
