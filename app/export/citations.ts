import { writeFileSync } from 'node:fs';
import type { ArticleSummary } from '../core/article.js';
import { beginAtomic } from './atomic-output.js';
import { splitByline, type AuthorName } from './authors.js';
import { articlesWithProgress, type ExportRun, type WrittenCounts } from './run.js';

/**
 * Citations of saved pages for reference managers.
 *
 * BibTeX is written in biblatex's dialect (what Zotero, JabRef and biber read for web pages):
 *   @online{doe2024title, author = {Doe, Jane and {Reuters Staff}}, title = {{…}},
 *           organization = {site name}, url = {…}, date = {published YYYY-MM-DD},
 *           urldate = {saved YYYY-MM-DD}, langid = {…}}
 * Organisation authors are braced so they are not split into first/last names; the title is
 * double-braced so styles keep its capitalisation. CSL-JSON (Zotero, Pandoc, citeproc) is an
 * array of `type: "webpage"` items with the same keys as `id`.
 * Keys are family name + year + first title word (`doe2024title`), made unique by a/b/c… suffixes.
 */
export interface Citation {
  key: string;
  authors: AuthorName[];
  title: string;
  container: string | null;
  url: string;
  issued: string | null; // YYYY-MM-DD
  accessed: string; // YYYY-MM-DD
  lang: string | null;
}

export function citationsOf(articles: Iterable<ArticleSummary>): Citation[] {
  const keys = new CitationKeys();
  const out: Citation[] = [];
  for (const a of articles) {
    const authors = splitByline(a.byline);
    const issued = a.publishedTime ? isoDay(a.publishedTime) : null;
    out.push({
      key: keys.claim(baseKey(authors, a.siteName, issued, a.title)),
      authors,
      title: a.title,
      container: a.siteName,
      url: a.canonicalUrl ?? a.finalUrl ?? a.url,
      issued,
      accessed: isoDay(a.savedAt) ?? a.savedAt.slice(0, 10),
      lang: a.lang,
    });
  }
  return out;
}

export function toBibtex(citations: readonly Citation[]): string {
  return citations
    .map((c) => {
      const fields: [string, string][] = [];
      if (c.authors.length) fields.push(['author', c.authors.map(bibName).join(' and ')]);
      fields.push(['title', `{${escapeBibtex(c.title)}}`]);
      if (c.container) fields.push(['organization', escapeBibtex(c.container)]);
      fields.push(['url', bibUrl(c.url)]);
      if (c.issued) fields.push(['date', c.issued]);
      fields.push(['urldate', c.accessed]);
      if (c.lang) fields.push(['langid', escapeBibtex(c.lang)]);
      return `@online{${c.key},\n${fields.map(([k, v]) => `  ${k} = {${v}}`).join(',\n')}\n}\n`;
    })
    .join('\n');
}

export interface CslItem {
  id: string;
  type: 'webpage';
  title: string;
  author?: ({ family: string; given: string } | { literal: string })[];
  'container-title'?: string;
  URL: string;
  issued?: { 'date-parts': number[][] };
  accessed: { 'date-parts': number[][] };
  language?: string;
}

export function toCslJson(citations: readonly Citation[]): CslItem[] {
  return citations.map((c) => ({
    id: c.key,
    type: 'webpage',
    title: c.title,
    ...(c.authors.length ? { author: c.authors.map((a) => ('literal' in a ? { literal: a.literal } : { family: a.family, given: a.given })) } : {}),
    ...(c.container ? { 'container-title': c.container } : {}),
    URL: c.url,
    ...(c.issued ? { issued: { 'date-parts': [dateParts(c.issued)] } } : {}),
    accessed: { 'date-parts': [dateParts(c.accessed)] },
    ...(c.lang ? { language: c.lang } : {}),
  }));
}

export async function exportCitations(run: ExportRun, out: string, format: 'bibtex' | 'csl-json', opts: { overwrite?: boolean } = {}): Promise<WrittenCounts> {
  const target = beginAtomic(out, 'file', opts);
  try {
    // Citations are small (no bodies), so the whole list is built, then written once.
    const citations = citationsOf(articlesWithProgress(run));
    const text = format === 'bibtex' ? toBibtex(citations) : `${JSON.stringify(toCslJson(citations), null, 2)}\n`;
    writeFileSync(target.tempPath, text, { flag: 'wx' });
    target.commit();
    return { articles: citations.length, images: 0 };
  } catch (err) {
    target.abort();
    throw err;
  }
}

const BIBTEX_SPECIALS: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '{': '\\{',
  '}': '\\}',
  '%': '\\%',
  '&': '\\&',
  $: '\\$',
  '#': '\\#',
  _: '\\_',
  '^': '\\textasciicircum{}',
  '~': '\\textasciitilde{}',
};

/** Escapes BibTeX/LaTeX special characters in one pass (so inserted backslashes are not re-escaped). */
export function escapeBibtex(s: string): string {
  return s.replace(/\s+/g, ' ').trim().replace(/[\\{}%&$#_^~]/g, (ch) => BIBTEX_SPECIALS[ch]!);
}

function bibName(a: AuthorName): string {
  return 'literal' in a ? `{${escapeBibtex(a.literal)}}` : `${escapeBibtex(a.family)}, ${escapeBibtex(a.given)}`;
}

/**
 * biblatex reads url verbatim, so no LaTeX escapes (a `%` stays: URLs are already
 * percent-encoded); only braces, backslashes and spaces, which would break the field, are encoded.
 */
function bibUrl(url: string): string {
  return url.replace(/[{}\\\s]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

function isoDay(iso: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : null;
}

function dateParts(day: string): number[] {
  return day.split('-').map((p) => Number(p));
}

const KEY_STOPWORDS = new Set(['the', 'a', 'an', 'of', 'on', 'in', 'and', 'to', 'for', 'is', 'how', 'why', 'what', 'le', 'la', 'les', 'der', 'die', 'das']);

/** ASCII letters/digits only: keys must survive every BibTeX implementation. */
function asciiWord(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

function baseKey(authors: AuthorName[], site: string | null, issued: string | null, title: string): string {
  const first = authors[0];
  const who = first ? asciiWord('literal' in first ? first.literal.split(' ')[0]! : first.family) : asciiWord((site ?? '').split(' ')[0] ?? '');
  const year = issued ? issued.slice(0, 4) : 'nd';
  const word = title
    .split(/\s+/)
    .map(asciiWord)
    .find((w) => w.length > 0 && !KEY_STOPWORDS.has(w));
  return `${who || 'anon'}${year}${word ?? ''}`;
}

/** Unique keys: the first use is bare, then `a`, `b`, … `z`, `aa`… (as Zotero and JabRef do). */
class CitationKeys {
  private readonly used = new Set<string>();
  claim(base: string): string {
    if (!this.used.has(base)) {
      this.used.add(base);
      return base;
    }
    for (let n = 0; ; n++) {
      const key = base + suffix(n);
      if (!this.used.has(key)) {
        this.used.add(key);
        return key;
      }
    }
  }
}

function suffix(n: number): string {
  let s = '';
  for (let i = n; i >= 0; i = Math.floor(i / 26) - 1) s = String.fromCharCode(97 + (i % 26)) + s;
  return s;
}
