import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { ASSET_SCHEME } from '../../app/core/types.js';
import { openArchive } from '../../app/store/open-archive.js';
import type { CrashPage } from './crash-site.js';

/**
 * What a crash suite checks on an archive file a killed process left behind, returned as a
 * list of problems (empty = sound) so a test shows every one at once:
 * - SQLite's full integrity_check, on a plain connection (not Folio's code path);
 * - Folio's own check (quick_check, foreign keys, both FTS indexes against their content);
 * - every article the child REPORTED saved is there, with its text, html and every image its
 *   html references (bytes present and hashing to the name they are stored under), and is the
 *   page it should be (title, the page's own images);
 * - every other article in the file is just as whole (a kill must not leave half an article).
 */
export interface ReportedArticle {
  id: number;
  url: string;
  /** saved = captured by that run; duplicate = found already in the archive. */
  status: 'saved' | 'duplicate';
}

export interface ArchiveCheck {
  problems: string[];
  articles: number;
  /** Articles whose page has images, checked image by image. */
  withImages: number;
}

const ASSET_REF = new RegExp(`${ASSET_SCHEME}:([0-9a-f]{64})`, 'g');

export function checkCrashedArchive(dbPath: string, reported: readonly ReportedArticle[], pageOf: (url: string) => CrashPage | null): ArchiveCheck {
  const problems: string[] = [];
  // Read-write on purpose: after a kill the WAL holds committed transactions, and recovering
  // them is exactly what the next Folio process would do.
  const raw = new Database(dbPath);
  try {
    const rows = raw.pragma('integrity_check') as { integrity_check: string }[];
    for (const r of rows) if (r.integrity_check !== 'ok') problems.push(`integrity_check: ${r.integrity_check}`);
  } finally {
    raw.close();
  }

  const archive = openArchive(dbPath);
  let withImages = 0;
  try {
    problems.push(...archive.checkIntegrity().map((p) => `checkIntegrity: ${p}`));
    const all = archive.listArticles({ limit: 500 });
    if (all.total > 500) problems.push(`more articles (${all.total}) than a crash suite ever saves`);
    const reportedIds = new Set(reported.map((r) => r.id));
    for (const r of reported) {
      const article = archive.getArticle(r.id);
      if (!article) {
        problems.push(`article #${r.id} (${r.url}) was reported saved but is not in the archive`);
        continue;
      }
      if (pageOf(article.url) !== pageOf(r.url)) problems.push(`article #${r.id} is ${article.url}, but was reported as ${r.url}`);
    }
    for (const summary of all.items) {
      const article = archive.getArticle(summary.id)!;
      const label = `article #${article.id} (${article.url}${reportedIds.has(article.id) ? ', reported saved' : ''})`;
      const page = pageOf(article.url);
      if (!page) {
        problems.push(`${label}: not one of the site's pages`);
        continue;
      }
      if (article.title !== page.title) problems.push(`${label}: title ${JSON.stringify(article.title)}, expected ${JSON.stringify(page.title)}`);
      if (article.text.trim() === '') problems.push(`${label}: empty text`);
      if (article.html.trim() === '') problems.push(`${label}: empty html`);
      const refs = [...new Set([...article.html.matchAll(ASSET_REF)].map((m) => m[1]!))];
      for (const sha of refs) {
        const image = archive.getImage(sha);
        if (!image) problems.push(`${label}: its html shows image ${sha}, which is not stored`);
        else if (createHash('sha256').update(image.data).digest('hex') !== sha) problems.push(`${label}: image ${sha} is stored with other bytes`);
      }
      if (page.imageShas.length > 0) withImages++;
      const expected = [...page.imageShas].sort();
      if (JSON.stringify([...refs].sort()) !== JSON.stringify(expected)) {
        problems.push(`${label}: shows images [${refs.join(', ')}], the page has [${expected.join(', ')}]`);
      }
    }
    return { problems, articles: all.total, withImages };
  } finally {
    archive.close();
  }
}

/**
 * The articles a child reported saved, from the complete JSON lines it printed before it was
 * killed (a line cut by the kill is not a report). Reads both `folio add --json`
 * ({input, id, status, url…}) and `folio import --json` ({line, url, status, id…}) records.
 */
export function reportedArticles(stdout: string): ReportedArticle[] {
  const complete = stdout.slice(0, stdout.lastIndexOf('\n') + 1);
  const out: ReportedArticle[] = [];
  for (const line of complete.split('\n')) {
    if (line.trim() === '') continue;
    const record = JSON.parse(line) as { id?: unknown; status?: unknown; url?: unknown; summary?: unknown };
    if (record.summary) continue;
    if ((record.status === 'saved' || record.status === 'duplicate') && typeof record.id === 'number' && typeof record.url === 'string') {
      out.push({ id: record.id, url: record.url, status: record.status });
    }
  }
  return out;
}
