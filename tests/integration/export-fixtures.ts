import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yauzl from 'yauzl';
import type { Archive } from '../../app/store/archive.js';
import { openArchive } from '../../app/store/index.js';
import { assetUrl, type ImageBlob } from '../../app/core/types.js';
import { makeCapture, makeImageBlob, sha256Hex } from '../helpers/make-capture.js';
import { jpegBytes } from '../helpers/image-bytes.js';

/**
 * A temp archive seeded through the store API with the articles exports must handle: tables,
 * code with a language, figures with captions, strikethrough, images (PNG + JPEG), a CJK title,
 * titles that are unsafe file names (`CON`, `a/b:c?`, 300 characters), and two articles with
 * the same title saved the same day.
 */
export interface Seeded {
  dir: string;
  archive: Archive;
  ids: Record<string, number>;
  images: ImageBlob[];
  cleanup(): void;
}

export const RICH_TITLE = 'Rivers: tables, code & figures';

export function seedArchive(): Seeded {
  const dir = mkdtempSync(join(tmpdir(), 'folio-export-'));
  const archive = openArchive(join(dir, 'archive.db'), { now: () => new Date('2024-06-01T10:00:00.000Z') });
  const png = makeImageBlob(1);
  const jpegData = jpegBytes();
  const jpeg: ImageBlob = { sha256: sha256Hex(jpegData), type: 'image/jpeg', data: jpegData };
  const ids: Record<string, number> = {};
  const save = (key: string, seed: number, overrides: Parameters<typeof makeCapture>[0], savedAt: string, tags: string[] = []) => {
    const made = makeCapture({ seed, words: 60, ...overrides });
    ids[key] = archive.saveCapture(made.capture, made.blobs, { savedAt, tags }).id;
  };

  const richHtml = `<article><h2>Overview</h2><p>The <strong>Seine</strong> flows <s>north</s> west, see H<sub>2</sub>O and E = mc<sup>2</sup>; <mark>remember this</mark>.</p>
<table><thead><tr><th>River</th><th>Length</th></tr></thead><tbody><tr><td>Seine</td><td>777 km</td></tr><tr><td>Loire</td><td>1006 km</td></tr></tbody></table>
<pre><code lang="js">const rivers = ['Seine', 'Loire'];
console.log(rivers.length &lt; 3);</code></pre>
<figure><img src="${assetUrl(png.sha256)}" alt="Map of the Seine"><figcaption>The Seine near Paris</figcaption></figure>
<div><span>A wrapped</span> paragraph<br>with a break.</div>
<p>Second picture: <img src="${assetUrl(jpeg.sha256)}" alt="Bridge"></p></article>`;
  save(
    'rich',
    1,
    {
      title: RICH_TITLE,
      byline: 'By Jane Doe and John Smith',
      html: richHtml,
      text: 'The Seine flows west. Seine 777 km. Loire 1006 km.',
      blobs: [png, jpeg],
      publishedTime: '2024-03-05T08:00:00.000Z',
      excerpt: 'About rivers: "quoted" and #hashed',
    },
    '2024-05-01T09:00:00.000Z',
    ['rivers', 'Long Reads'],
  );
  save('cjk', 2, { title: '東京の川を歩く', lang: 'ja', byline: '山田太郎' }, '2024-05-02T09:00:00.000Z', ['travel']);
  save('con', 3, { title: 'CON' }, '2024-05-03T09:00:00.000Z');
  save('unsafe', 4, { title: 'a/b:c?' }, '2024-05-04T09:00:00.000Z');
  save('long', 5, { title: `${'Very long title about rivers '.repeat(11)}end`.slice(0, 300) }, '2024-05-05T09:00:00.000Z');
  save('twinA', 6, { title: 'Same Title', byline: 'Reuters Staff' }, '2024-05-06T09:00:00.000Z', ['rivers']);
  save('twinB', 7, { title: 'Same Title', byline: 'Reuters Staff' }, '2024-05-06T15:00:00.000Z');
  ids.bookmark = archive.addBookmark({ url: 'https://example.org/only-a-bookmark', title: 'Just a bookmark', savedAt: '2024-05-07T09:00:00.000Z' }).id;
  return {
    dir,
    archive,
    ids,
    images: [png, jpeg],
    cleanup: () => {
      archive.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface ZipEntryInfo {
  name: string;
  compressionMethod: number;
  extraFieldLength: number;
  data: Buffer;
}

/** Every entry of a zip file, in order, with its bytes (read with yauzl, a separate implementation). */
export function readZip(file: string): Promise<ZipEntryInfo[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const out: ZipEntryInfo[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            out.push({ name: entry.fileName, compressionMethod: entry.compressionMethod, extraFieldLength: entry.extraFieldLength, data: Buffer.concat(chunks) });
            zip.readEntry();
          });
          stream.on('error', reject);
        });
      });
      zip.on('end', () => resolve(out));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}
