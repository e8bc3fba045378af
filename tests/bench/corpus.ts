import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JSDOM, VirtualConsole } from 'jsdom';
import { Readability } from '@mozilla/readability';
import { generateText, rng } from '../helpers/make-capture.js';

/**
 * Real text for generated archives: paragraphs pulled from the corpus pages (Readability's own
 * test pages), or the deterministic English-like generator when no corpus is given.
 */
export interface CorpusPage {
  slug: string;
  html: string;
}

export function loadCorpusPages(dir: string | undefined): CorpusPage[] {
  if (!dir || !existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((slug) => existsSync(join(dir, slug, 'source.html')))
    .sort()
    .map((slug) => ({ slug, html: readFileSync(join(dir, slug, 'source.html'), 'utf8') }));
}

/** Bare jsdom + Readability: the baseline the capture pipeline is measured against. */
export function bareReadability(html: string, url: string): { title: string; text: string } | null {
  const dom = new JSDOM(html, { url, virtualConsole: new VirtualConsole() });
  try {
    const article = new Readability(dom.window.document).parse();
    return article ? { title: article.title ?? '', text: article.textContent ?? '' } : null;
  } finally {
    dom.window.close();
  }
}

const JAPANESE = [
  '市立図書館は駅前の再開発にあわせて新しい建物に移転し、開館時間を夜九時まで延長した。',
  '図書館の司書によると、平日の夕方には学生や会社員の利用者が以前の二倍に増えたという。',
  '東京の古書店街では、古い地図や写真集を探す観光客の姿が目立つようになった。',
  '研究者たちは、地域の歴史資料をデジタル化して誰でも検索できるようにする計画を進めている。',
  '春の桜の季節には、川沿いの公園で読書会が開かれ、多くの家族連れが参加した。',
];

export interface TextSource {
  /** A paragraph list for article number i (deterministic). */
  paragraphs(i: number): string[];
  title(i: number): string;
  kind: 'corpus' | 'generated';
}

export async function textSource(pages: CorpusPage[]): Promise<TextSource> {
  const pool: string[] = [];
  for (const page of pages) {
    try {
      const a = bareReadability(page.html, 'http://fakehost/test/page.html');
      if (a) {
        for (const p of a.text.split(/\n\s*\n|(?<=[.!?])\s{2,}/)) {
          const t = p.replace(/\s+/g, ' ').trim();
          if (t.length > 80 && t.length < 2000) pool.push(t);
        }
      }
    } catch {
      // jsdom throws on some real pages' CSS; the baseline skips them the same way.
    }
    await new Promise((r) => setImmediate(r));
  }
  if (pool.length < 50) {
    return {
      kind: 'generated',
      paragraphs: (i) => generateText(i + 1, 600).split('\n\n'),
      title: (i) => generateText(i * 7 + 3, 6).replace(/\.$/, ''),
    };
  }
  return {
    kind: 'corpus',
    paragraphs(i) {
      const next = rng(i + 11);
      const count = 6 + Math.floor(next() * 12);
      const out = Array.from({ length: count }, () => pool[Math.floor(next() * pool.length)]!);
      // One article in 25 is Japanese, so CJK search has real hits.
      if (i % 25 === 0) out.push(...JAPANESE.slice(0, 2 + (i % 4)));
      return out;
    },
    title(i) {
      const next = rng(i * 31 + 7);
      const words = pool[Math.floor(next() * pool.length)]!.split(' ').slice(0, 4 + Math.floor(next() * 6));
      return words.join(' ').replace(/[.,;:]$/, '');
    },
  };
}
