import type { ArticleDetail } from '../core/article.js';
import { slugify, UniqueNames } from '../core/filenames.js';
import { dateOnly, frontMatterOf, obsidianTags, renderFrontMatter } from './front-matter.js';
import { imageFileName, storedImages } from './images.js';
import { openOutputTree, type OutputTree } from './output-tree.js';
import { articlesWithProgress, type ExportRun, type WrittenCounts } from './run.js';
import { htmlToMarkdown } from './turndown.js';

/**
 * Markdown collection, as a folder or a .zip (same layout):
 *
 *   index.md                          the collection: a linked list of every article
 *   2024-05-01-some-title/index.md    front matter + the article in Markdown
 *   2024-05-01-some-title/images/<first 16 hex of sha256>.<ext>
 *
 * Image links are relative (`images/…`), so Obsidian and other editors show them offline.
 */
export async function exportMarkdown(run: ExportRun, out: string, opts: { overwrite?: boolean } = {}): Promise<WrittenCounts> {
  const tree = openOutputTree(out, { overwrite: opts.overwrite, zipMtime: run.now });
  try {
    const counts = writeCollection(run, tree);
    await tree.commit();
    return counts;
  } catch (err) {
    await tree.abort();
    throw err;
  }
}

interface IndexEntry {
  title: string;
  folder: string;
  site: string | null;
  date: string;
  tags: string[];
}

function writeCollection(run: ExportRun, tree: OutputTree): WrittenCounts {
  const folders = new UniqueNames(['index.md']);
  const entries: IndexEntry[] = [];
  let images = 0;
  for (const article of articlesWithProgress(run)) {
    const folder = folders.claim(`${dateOnly(article.savedAt)}-${slugify(article.title)}`);
    const paths = new Map<string, string>();
    for (const image of storedImages(run.archive, article)) {
      const rel = `images/${imageFileName(image.sha256, image.type)}`;
      tree.writeLazy(`${folder}/${rel}`, image.load);
      paths.set(image.sha256, rel);
      images++;
    }
    tree.write(`${folder}/index.md`, articleMarkdown(article, (sha) => paths.get(sha) ?? null));
    entries.push({ title: article.title, folder, site: article.siteName, date: dateOnly(article.savedAt), tags: obsidianTags(article.tags) });
  }
  tree.write('index.md', collectionIndex(entries, run.now));
  return { articles: entries.length, images };
}

/** One article's index.md: front matter, title heading, body (or a link for bookmarks). */
export function articleMarkdown(article: ArticleDetail, imageSrc: (sha256: string) => string | null): string {
  const source = article.canonicalUrl ?? article.finalUrl ?? article.url;
  const body = article.html.trim()
    ? htmlToMarkdown(article.html, { imageSrc })
    : `Saved as a bookmark; the page itself was not captured: <${source}>\n`;
  return `${renderFrontMatter(frontMatterOf(article))}\n# ${escapeInline(article.title)}\n\n${body}`;
}

function collectionIndex(entries: IndexEntry[], now: Date): string {
  const lines = [`# Folio export`, '', `${entries.length} article${entries.length === 1 ? '' : 's'}, exported ${now.toISOString().slice(0, 10)}.`, ''];
  for (const e of entries) {
    const details = [e.site, e.date, e.tags.map((t) => `#${t}`).join(' ')].filter(Boolean).join(' · ');
    lines.push(`- [${escapeInline(e.title)}](${encodeURI(e.folder)}/index.md)${details ? ` — ${details}` : ''}`);
  }
  return lines.join('\n') + '\n';
}

/** Escapes what would turn a title into Markdown syntax (links, emphasis, HTML). */
function escapeInline(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/([\\`*_[\]<>#|])/g, '\\$1');
}
