import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { utf8Length } from '../../app/core/filenames.js';
import { exportArticles } from '../../app/export/index.js';
import { readZip, RICH_TITLE, seedArchive, type Seeded } from './export-fixtures.js';

const NOW = new Date('2024-06-02T12:00:00.000Z');
let s: Seeded;

beforeAll(() => {
  s = seedArchive();
});
afterAll(() => s.cleanup());

function filesUnder(root: string, dir = root): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...filesUnder(root, full));
    else out.push(relative(root, full).split('\\').join('/'));
  }
  return out.sort();
}

function frontMatter(md: string): Record<string, unknown> {
  const m = /^---\n([\s\S]*?)\n---\n/.exec(md);
  expect(m, 'front matter block').not.toBeNull();
  return parseYaml(m![1]!) as Record<string, unknown>;
}

describe('markdown export (folder)', () => {
  let out: string;
  let files: string[];
  const progress: [number, number][] = [];

  beforeAll(async () => {
    out = join(s.dir, 'notes');
    const result = await exportArticles(s.archive, { format: 'markdown', out, now: NOW, onProgress: (d, t) => progress.push([d, t]) });
    expect(result).toMatchObject({ format: 'markdown', path: out, articles: 8, images: 8 }); // 2 in the rich article, 1 in each of 6 others
    files = filesUnder(out);
  });

  it('writes one folder per article named <saved date>-<slug>, with safe names for hostile titles', () => {
    const folders = [...new Set(files.filter((f) => f.includes('/')).map((f) => f.split('/')[0]!))].sort();
    expect(folders).toContain('2024-05-01-rivers-tables-code-figures');
    expect(folders).toContain('2024-05-02-東京の川を歩く');
    expect(folders).toContain('2024-05-03-con_'); // the slug alone is made safe, device names included
    expect(folders).toContain('2024-05-04-a-b-c');
    // Same title, same day: numbered, and case-insensitively distinct.
    expect(folders).toContain('2024-05-06-same-title');
    expect(folders).toContain('2024-05-06-same-title-2');
    const long = folders.find((f) => f.startsWith('2024-05-05-very-long-title'))!;
    expect(utf8Length(long)).toBeLessThanOrEqual(200);
    expect(new Set(folders.map((f) => f.toLowerCase())).size).toBe(folders.length);
    for (const f of folders) expect(f).not.toMatch(/[<>:"\\|?*]|[. ]$/);
    expect(files).toContain('index.md');
  });

  it('writes front matter that parses as YAML with the Web Clipper keys and Folio fields', () => {
    const md = readFileSync(join(out, '2024-05-01-rivers-tables-code-figures', 'index.md'), 'utf8');
    const fm = frontMatter(md);
    expect(fm).toMatchObject({
      title: RICH_TITLE,
      author: ['Jane Doe', 'John Smith'],
      site: 'The example Journal',
      published: '2024-03-05',
      created: '2024-05-01',
      description: 'About rivers: "quoted" and #hashed',
      tags: ['long-reads', 'rivers'],
      lang: 'en',
      folio_id: s.ids.rich,
      read: false,
      favorite: false,
      archived: false,
    });
    expect(String(fm.source)).toMatch(/^https:\/\/example\.com\/articles\//);
    expect(typeof fm.word_count).toBe('number');
  });

  it('converts tables, code with language, figures, strikethrough, highlights; only sup/sub stay HTML', () => {
    const md = readFileSync(join(out, '2024-05-01-rivers-tables-code-figures', 'index.md'), 'utf8');
    expect(md).toContain('# Rivers: tables, code & figures');
    expect(md).toContain('| River | Length |');
    expect(md).toContain('| Seine | 777 km |');
    expect(md).toContain("```js\nconst rivers = ['Seine', 'Loire'];\nconsole.log(rivers.length < 3);\n```");
    expect(md).toMatch(/!\[Map of the Seine\]\(images\/[0-9a-f]{16}\.png\)\n\n_The Seine near Paris_/);
    expect(md).toMatch(/!\[Bridge\]\(images\/[0-9a-f]{16}\.jpg\)/);
    expect(md).toContain('~~north~~');
    expect(md).toContain('==remember this==');
    expect(md).toContain('H<sub>2</sub>O');
    expect(md).not.toContain('folio-asset:');
    for (const file of files.filter((f) => f.endsWith('.md'))) {
      const body = readFileSync(join(out, file), 'utf8');
      for (const tag of ['<div', '<span', '<figure', '<table', '<p>', '<img', '<pre']) expect(body, `${file} has ${tag}`).not.toContain(tag);
    }
  });

  it('stores each referenced image beside the article with the exact bytes', () => {
    const folder = '2024-05-01-rivers-tables-code-figures';
    const md = readFileSync(join(out, folder, 'index.md'), 'utf8');
    const linked = [...md.matchAll(/\]\((images\/[^)]+)\)/g)].map((m) => m[1]!);
    expect(linked).toHaveLength(2);
    const hashes = linked.map((rel) => createHash('sha256').update(readFileSync(join(out, folder, rel))).digest('hex'));
    expect([...hashes].sort()).toEqual(s.images.map((i) => i.sha256).sort());
    // Each file is named after its own hash.
    for (const [i, rel] of linked.entries()) expect(rel.slice('images/'.length, 'images/'.length + 16)).toBe(hashes[i]!.slice(0, 16));
  });

  it('writes a collection index linking every article folder that exists', () => {
    const index = readFileSync(join(out, 'index.md'), 'utf8');
    const links = [...index.matchAll(/\]\(([^)]+\/index\.md)\)/g)].map((m) => decodeURI(m[1]!));
    expect(links).toHaveLength(8);
    for (const link of links) expect(existsSync(join(out, link)), link).toBe(true);
    expect(index).toContain('[Rivers: tables, code & figures](2024-05-01-rivers-tables-code-figures/index.md) — The example Journal · 2024-05-01 · #long-reads #rivers');
  });

  it('exports a bookmark as front matter and a link, and reports progress per article', () => {
    const bookmark = files.find((f) => f.includes('just-a-bookmark'))!;
    const md = readFileSync(join(out, bookmark), 'utf8');
    expect(frontMatter(md).source).toBe('https://example.org/only-a-bookmark');
    expect(md).toContain('<https://example.org/only-a-bookmark>');
    expect(progress[0]).toEqual([0, 8]);
    expect(progress.at(-1)).toEqual([8, 8]);
    expect(progress).toHaveLength(9);
  });

  it('writes the same layout into a .zip', async () => {
    const zipPath = join(s.dir, 'notes.zip');
    await exportArticles(s.archive, { format: 'markdown', out: zipPath, now: NOW });
    const entries = await readZip(zipPath);
    expect(entries.map((e) => e.name).sort()).toEqual(files);
    const md = entries.find((e) => e.name === '2024-05-01-rivers-tables-code-figures/index.md')!.data.toString('utf8');
    expect(md).toBe(readFileSync(join(out, '2024-05-01-rivers-tables-code-figures', 'index.md'), 'utf8'));
    const png = entries.find((e) => e.name.endsWith('.png'))!;
    expect(createHash('sha256').update(png.data).digest('hex')).toBe(s.images[0]!.sha256);
  });

  it('refuses to replace an existing export unless asked', async () => {
    await expect(exportArticles(s.archive, { format: 'markdown', out, now: NOW })).rejects.toThrow(/already exists.*--force/);
    const again = await exportArticles(s.archive, { format: 'markdown', out, now: NOW, ids: [s.ids.cjk!], overwrite: true });
    expect(again.articles).toBe(1);
    expect(readdirSync(out).sort()).toEqual(['2024-05-02-東京の川を歩く', 'index.md']);
    expect(readdirSync(s.dir).filter((n) => n.includes('.partial-'))).toEqual([]);
  });
});
