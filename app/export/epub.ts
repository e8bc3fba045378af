import { randomUUID } from 'node:crypto';
import type { ArticleDetail } from '../core/article.js';
import { authorDisplayNames } from './authors.js';
import { beginAtomic } from './atomic-output.js';
import { dateOnly } from './front-matter.js';
import { childrenToXhtml, parseFragment } from './html-dom.js';
import { assetSha, imageFileName, storedImages } from './images.js';
import { articlesWithProgress, type ExportRun, type WrittenCounts } from './run.js';
import { ZipWriter } from './zip-writer.js';

/**
 * One EPUB 3 book of the selection, one chapter per article, built the way e-readers and
 * epubcheck expect:
 *   mimetype                  first entry, stored (no compression, no extra field)
 *   META-INF/container.xml    points at OEBPS/content.opf
 *   OEBPS/content.opf         metadata (urn:uuid identifier, title, language, dcterms:modified),
 *                             manifest (every file with its media type), spine (reading order)
 *   OEBPS/nav.xhtml           EPUB 3 table of contents;  OEBPS/toc.ncx  the EPUB 2 one, for older readers
 *   OEBPS/style.css, OEBPS/text/aNNNN.xhtml, OEBPS/images/<sha prefix>.<ext>
 * Chapters are serialized as XML by jsdom's XMLSerializer, so they are well-formed XHTML.
 */
export interface EpubOptions {
  overwrite?: boolean;
  /** Book title; default "Folio: N articles". */
  title?: string;
}

/** Image types every EPUB 3 reader must support; others would need fallbacks, so they are left out. */
const CORE_IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/svg+xml']);

const STYLE = `body{font-family:serif;line-height:1.5}h1{font-size:1.4em}p.meta{color:#555;font-size:.85em}
img{max-width:100%}figcaption{font-size:.85em;font-style:italic}pre{white-space:pre-wrap;font-size:.85em}
table{border-collapse:collapse}td,th{border:1px solid #999;padding:.2em .4em}`;

interface Chapter {
  id: string;
  href: string;
  title: string;
  lang: string | null;
}

export async function exportEpub(run: ExportRun, out: string, opts: EpubOptions = {}): Promise<WrittenCounts> {
  const target = beginAtomic(out, 'file', { overwrite: opts.overwrite });
  const zip = new ZipWriter(target.tempPath, run.now);
  try {
    zip.add('mimetype', 'application/epub+zip', { store: true });
    zip.add('META-INF/container.xml', CONTAINER_XML);
    zip.add('OEBPS/style.css', STYLE);
    const chapters: Chapter[] = [];
    const images = new Map<string, { href: string; type: string }>();
    for (const article of articlesWithProgress(run)) {
      const chapter: Chapter = { id: `a${chapters.length + 1}`, href: `text/a${String(chapters.length + 1).padStart(4, '0')}.xhtml`, title: article.title, lang: bcp47(article.lang) };
      const local = new Map<string, string>();
      for (const image of storedImages(run.archive, article)) {
        if (!CORE_IMAGE_TYPES.has(image.type)) continue;
        const href = `images/${imageFileName(image.sha256, image.type)}`;
        if (!images.has(image.sha256)) {
          images.set(image.sha256, { href, type: image.type });
          zip.addLazy(`OEBPS/${href}`, image.load);
        }
        local.set(image.sha256, `../${href}`);
      }
      zip.add(`OEBPS/${chapter.href}`, chapterXhtml(article, chapter, local));
      chapters.push(chapter);
    }
    const title = opts.title ?? `Folio: ${chapters.length} article${chapters.length === 1 ? '' : 's'}`;
    const lang = mostCommon(chapters.map((c) => c.lang)) ?? 'en';
    zip.add('OEBPS/content.opf', contentOpf(title, lang, run.now, `urn:uuid:${randomUUID()}`, chapters, images));
    zip.add('OEBPS/nav.xhtml', navXhtml(title, lang, chapters));
    zip.add('OEBPS/toc.ncx', tocNcx(title, chapters));
    await zip.close();
    target.commit();
    return { articles: chapters.length, images: images.size };
  } catch (err) {
    await zip.close().catch(() => undefined);
    target.abort();
    throw err;
  }
}

const CONTAINER_XML = `<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
`;

function chapterXhtml(article: ArticleDetail, chapter: Chapter, images: Map<string, string>): string {
  const body = parseFragment(article.html);
  for (const img of [...body.querySelectorAll('img')]) {
    img.removeAttribute('srcset');
    const sha = assetSha(img.getAttribute('src'));
    const href = sha ? images.get(sha) : undefined;
    if (href) {
      img.setAttribute('src', href);
      if (!img.hasAttribute('alt')) img.setAttribute('alt', ''); // required in XHTML
    } else {
      // Remote or unsupported images: readers must not fetch, epubcheck rejects remote resources.
      const alt = img.getAttribute('alt');
      img.replaceWith(...(alt ? [body.ownerDocument.createTextNode(alt)] : []));
    }
  }
  const source = article.canonicalUrl ?? article.finalUrl ?? article.url;
  const facts = [authorDisplayNames(article.byline).join(', '), article.siteName, article.publishedTime ? dateOnly(article.publishedTime) : null].filter(Boolean);
  const langAttrs = chapter.lang ? ` xml:lang="${chapter.lang}" lang="${chapter.lang}"` : '';
  const dir = article.dir ? ` dir="${article.dir}"` : '';
  return xmlClean(`<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"${langAttrs}${dir}>
<head>
<meta charset="UTF-8"/>
<title>${escapeXml(article.title)}</title>
<link rel="stylesheet" type="text/css" href="../style.css"/>
</head>
<body>
<section epub:type="chapter">
<h1>${escapeXml(article.title)}</h1>
<p class="meta">${facts.map((f) => escapeXml(f!)).join(' · ')}${facts.length ? '<br/>' : ''}<a href="${escapeXml(source)}">${escapeXml(source)}</a></p>
${childrenToXhtml(body)}
</section>
</body>
</html>
`);
}

function contentOpf(title: string, lang: string, now: Date, identifier: string, chapters: Chapter[], images: Map<string, { href: string; type: string }>): string {
  const modified = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const items = [
    `<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>`,
    `<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>`,
    `<item id="css" href="style.css" media-type="text/css"/>`,
    ...chapters.map((c) => `<item id="${c.id}" href="${c.href}" media-type="application/xhtml+xml"/>`),
    ...[...images].map(([sha, img]) => `<item id="img-${sha.slice(0, 16)}" href="${img.href}" media-type="${img.type}"/>`),
  ];
  return xmlClean(`<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="book-id" xml:lang="${lang}">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="book-id">${identifier}</dc:identifier>
    <dc:title>${escapeXml(title)}</dc:title>
    <dc:language>${lang}</dc:language>
    <dc:creator>Folio</dc:creator>
    <dc:date>${modified}</dc:date>
    <meta property="dcterms:modified">${modified}</meta>
  </metadata>
  <manifest>
    ${items.join('\n    ')}
  </manifest>
  <spine toc="ncx">
    ${chapters.map((c) => `<itemref idref="${c.id}"/>`).join('\n    ')}
  </spine>
</package>
`);
}

function navXhtml(title: string, lang: string, chapters: Chapter[]): string {
  return xmlClean(`<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="${lang}" lang="${lang}">
<head><meta charset="UTF-8"/><title>${escapeXml(title)}</title></head>
<body>
<nav epub:type="toc" id="toc">
<h1>${escapeXml(title)}</h1>
<ol>
${chapters.map((c) => `<li><a href="${c.href}">${escapeXml(c.title)}</a></li>`).join('\n')}
</ol>
</nav>
</body>
</html>
`);
}

function tocNcx(title: string, chapters: Chapter[]): string {
  return xmlClean(`<?xml version="1.0" encoding="UTF-8"?>
<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1">
<head><meta name="dtb:depth" content="1"/></head>
<docTitle><text>${escapeXml(title)}</text></docTitle>
<navMap>
${chapters
  .map((c, i) => `<navPoint id="np${i + 1}" playOrder="${i + 1}"><navLabel><text>${escapeXml(c.title)}</text></navLabel><content src="${c.href}"/></navPoint>`)
  .join('\n')}
</navMap>
</ncx>
`);
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** Removes characters XML 1.0 forbids (control characters, lone surrogates), which web text can hold. */
function xmlClean(s: string): string {
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '');
}

/** A language tag an XML lang attribute accepts, or null. */
function bcp47(lang: string | null): string | null {
  const tag = lang?.trim().replace(/_/g, '-');
  return tag && /^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$/.test(tag) ? tag : null;
}

function mostCommon(values: (string | null)[]): string | null {
  const counts = new Map<string, number>();
  for (const v of values) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
}
