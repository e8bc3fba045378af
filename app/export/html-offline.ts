import type { ArticleDetail } from '../core/article.js';
import { slugify, UniqueNames } from '../core/filenames.js';
import type { Archive } from '../store/archive.js';
import { authorDisplayNames } from './authors.js';
import { dateOnly } from './front-matter.js';
import { parseFragment } from './html-dom.js';
import { assetSha } from './images.js';
import { openOutputTree, type OutputTree } from './output-tree.js';
import { articlesWithProgress, type ExportRun, type WrittenCounts } from './run.js';

/**
 * Self-contained offline HTML: one file per article with its images inlined as data: URIs, a
 * small inline stylesheet, and a CSP that lets the page load nothing and run nothing; plus
 * `index.html` linking them. A folder, or a .zip with the same layout.
 */
export const OFFLINE_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'";

const STYLE = `body{margin:0;background:#fdfcf9;color:#222;font:18px/1.6 Georgia,'Times New Roman',serif}
main{max-width:42em;margin:2em auto;padding:0 1em}header p{color:#666;font-size:.85em}
img{max-width:100%;height:auto}figure{margin:1.5em 0}figcaption{color:#555;font-size:.85em;font-style:italic}
pre{overflow:auto;background:#f3f1ec;padding:.8em;font-size:.85em}code{font-family:Menlo,Consolas,monospace}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em}blockquote{border-left:3px solid #ccc;margin-left:0;padding-left:1em;color:#444}
a{color:#1a5fb4}li{margin:.3em 0}@media (prefers-color-scheme:dark){body{background:#1e1e1e;color:#ddd}pre{background:#2a2a2a}a{color:#8ab4f8}}`;

export async function exportHtml(run: ExportRun, out: string, opts: { overwrite?: boolean } = {}): Promise<WrittenCounts> {
  const tree = openOutputTree(out, { overwrite: opts.overwrite, zipMtime: run.now });
  try {
    const counts = writePages(run, tree);
    await tree.commit();
    return counts;
  } catch (err) {
    await tree.abort();
    throw err;
  }
}

function writePages(run: ExportRun, tree: OutputTree): WrittenCounts {
  const names = new UniqueNames(['index.html']);
  const links: string[] = [];
  let images = 0;
  for (const article of articlesWithProgress(run)) {
    const file = names.claim(`${dateOnly(article.savedAt)}-${slugify(article.title)}.html`);
    const page = offlinePage(article, run.archive);
    images += page.images;
    tree.write(file, page.html);
    const meta = [article.siteName, dateOnly(article.savedAt)].filter((s): s is string => Boolean(s)).map(escapeHtml).join(' · ');
    links.push(`<li><a href="${escapeHtml(encodeURI(file))}">${escapeHtml(article.title)}</a> <small>${meta}</small></li>`);
  }
  tree.write('index.html', documentHtml('Folio export', 'en', null, `<h1>Folio export</h1>\n<ol>\n${links.join('\n')}\n</ol>`));
  return { articles: links.length, images };
}

/** One article as a standalone page. Exported for the EPUB and for tests. */
export function offlinePage(article: ArticleDetail, archive: Archive): { html: string; images: number } {
  const body = parseFragment(article.html);
  let images = 0;
  for (const img of [...body.querySelectorAll('img')]) {
    img.removeAttribute('srcset'); // candidates point at the web
    const sha = assetSha(img.getAttribute('src'));
    const stored = sha ? archive.getImage(sha) : null;
    if (!stored) {
      // Not stored offline: a remote src would either be blocked by the CSP or leak a request.
      img.replaceWith(...(img.getAttribute('alt') ? [body.ownerDocument.createTextNode(img.getAttribute('alt')!)] : []));
      continue;
    }
    img.setAttribute('src', `data:${stored.type};base64,${stored.data.toString('base64')}`);
    images++;
  }
  const source = article.canonicalUrl ?? article.finalUrl ?? article.url;
  const facts = [authorDisplayNames(article.byline).join(', '), article.siteName, article.publishedTime ? dateOnly(article.publishedTime) : null]
    .filter(Boolean)
    .map((s) => escapeHtml(s!));
  const header =
    `<header><h1>${escapeHtml(article.title)}</h1>\n<p>${facts.join(' · ')}${facts.length ? ' · ' : ''}` +
    `<a href="${escapeHtml(source)}" rel="noopener noreferrer">${escapeHtml(source)}</a> · saved ${escapeHtml(dateOnly(article.savedAt))}</p></header>`;
  return { html: documentHtml(article.title, article.lang ?? 'und', article.dir, `<article>${header}\n${body.innerHTML}</article>`), images };
}

function documentHtml(title: string, lang: string, dir: string | null, main: string): string {
  return `<!DOCTYPE html>
<html lang="${escapeHtml(lang)}"${dir ? ` dir="${escapeHtml(dir)}"` : ''}>
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${OFFLINE_CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body><main>
${main}
</main></body>
</html>
`;
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
