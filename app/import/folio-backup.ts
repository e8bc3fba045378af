/**
 * Restoring a Folio JSON backup (`folio export --format json`; format documented in
 * app/export/json-backup.ts): `{ format: 'folio-backup', version: 1, exportedAt, articles, images }`
 * as one `.json` (images base64 inline) or a `.zip` (`backup.json` + `images/<sha256>`).
 *
 * Lossless and offline: each article is written straight to the store with its original HTML,
 * cleaned HTML, text, metadata, images (by hash, verified), tags, states, dates and reading
 * progress. Articles whose URL is already in the archive are skipped, so running it twice changes
 * nothing the second time. (updatedAt is the restore time: the store owns that column.)
 */
import { createHash } from 'node:crypto';
import type { ArticleDetail } from '../core/article.js';
import { assetUrl, type Capture, type ImageBlob } from '../core/types.js';
import type { Archive } from '../store/archive.js';
import { ImportFormatError, type ItemReport } from './import-items.js';
import { isRecord, parseJsonText } from './json-input.js';
import { openFileSet, readHead, readWholeText, type FileSet, type InputInfo } from './read-input.js';

/** What the restore reads of a backed-up article: the store's ArticleDetail plus its original HTML. */
export type BackupArticle = ArticleDetail & { originalHtml?: string | null };
interface BackupImage {
  sha256: string;
  type: string;
  /** base64 (single-file backups); absent in the zip variant. */
  data?: string;
}

export interface RestoreOptions {
  extraTags: readonly string[];
  onItem: (report: ItemReport) => void;
}

export async function restoreFolioBackup(archive: Archive, info: InputInfo, opts: RestoreOptions): Promise<void> {
  const head = info.isDirectory ? null : await readHead(info.path, 4);
  const packed = info.isDirectory || (head !== null && head[0] === 0x50 && head[1] === 0x4b);
  const files = packed ? await openFileSet(info) : null;
  try {
    const jsonName = files?.names.find((n) => /(^|\/)backup\.json$/i.test(n));
    if (files && !jsonName) throw new ImportFormatError(info.path, null, 'no backup.json inside', 'give a backup made by `folio export --format json`');
    const label = files ? `${files.label} (${jsonName})` : info.path;
    const text = files ? (await files.read(jsonName!)).toString('utf8') : await readWholeText(info.path, info.size);
    const backup = parseJsonText(text, label);
    if (!isRecord(backup) || backup.format !== 'folio-backup' || !Array.isArray(backup.articles)) {
      throw new ImportFormatError(label, null, 'not a Folio backup (no "format": "folio-backup" with an "articles" list)', 'give a backup made by `folio export --format json`');
    }
    if (typeof backup.version !== 'number' || backup.version > 1) {
      throw new ImportFormatError(label, null, `backup version ${String(backup.version)} is newer than this Folio understands (1)`, 'update Folio to restore it');
    }
    const images = new Map<string, BackupImage>();
    for (const img of Array.isArray(backup.images) ? backup.images : []) if (isRecord(img) && typeof img.sha256 === 'string') images.set(img.sha256, img as unknown as BackupImage);
    const imageDir = jsonName ? jsonName.slice(0, jsonName.lastIndexOf('/') + 1) : '';
    for (const raw of backup.articles as unknown[]) {
      if (!isRecord(raw) || typeof raw.url !== 'string') continue;
      const article = raw as unknown as BackupArticle;
      opts.onItem(await restoreArticle(archive, article, { images, files, imageDir, label, extraTags: opts.extraTags }));
    }
  } finally {
    files?.close();
  }
}

interface RestoreContext {
  images: Map<string, BackupImage>;
  files: FileSet | null;
  imageDir: string;
  label: string;
  extraTags: readonly string[];
}

async function restoreArticle(archive: Archive, a: BackupArticle, ctx: RestoreContext): Promise<ItemReport> {
  const existing = archive.findByUrl(a.url, { includeDeleted: true });
  if (existing !== null) return { url: a.url, status: 'duplicate', id: existing };
  const options = { tags: [...(a.tags ?? []), ...ctx.extraTags], savedAt: a.savedAt, read: a.read, archived: a.archived, favorite: a.favorite };
  let id: number;
  if (a.status === 'bookmark') {
    id = archive.addBookmark({ url: a.url, title: a.title, ...options }).id;
  } else {
    const blobs: ImageBlob[] = [];
    for (const ref of a.images ?? []) blobs.push(await imageBlob(ref.sha256, ctx));
    const capture: Capture = {
      input: a.url,
      url: a.url,
      finalUrl: a.finalUrl || a.url,
      canonicalUrl: a.canonicalUrl,
      title: a.title,
      byline: a.byline,
      siteName: a.siteName,
      publishedTime: a.publishedTime,
      lang: a.lang,
      dir: a.dir,
      excerpt: a.excerpt,
      leadImage: a.leadImage ? assetUrl(a.leadImage) : null,
      html: a.html,
      text: a.text,
      wordCount: a.wordCount,
      readingMinutes: a.readingMinutes,
      extractor: a.extractor ?? 'readability',
      warnings: [],
      images: (a.images ?? []).map((i) => ({ url: i.url, sha256: i.sha256, type: i.type, bytes: i.bytes })),
      rendered: a.rendered,
      originalHtml: a.originalHtml ?? '',
      fetchedAt: a.fetchedAt ?? a.savedAt,
    };
    id = archive.saveCapture(capture, blobs, options).id;
  }
  if (a.readingProgress > 0) archive.setProgress(id, a.readingProgress);
  return { url: a.url, status: a.status === 'bookmark' ? 'bookmarked' : 'saved', id };
}

/** An image's bytes from the backup, checked against its hash (a damaged backup must not restore wrong pictures). */
async function imageBlob(sha256: string, ctx: RestoreContext): Promise<ImageBlob> {
  const meta = ctx.images.get(sha256);
  let data: Buffer | null = null;
  if (meta?.data) data = Buffer.from(meta.data, 'base64');
  else if (ctx.files) {
    const name = `${ctx.imageDir}images/${sha256}`;
    const found = ctx.files.names.find((n) => n === name || n.startsWith(name + '.'));
    if (found) data = await ctx.files.read(found);
  }
  if (!data) throw new ImportFormatError(ctx.label, null, `image ${sha256} is missing from the backup`, 'make the backup again');
  const actual = createHash('sha256').update(data).digest('hex');
  if (actual !== sha256) throw new ImportFormatError(ctx.label, null, `image ${sha256} is damaged (its bytes hash to ${actual})`, 'make the backup again');
  return { sha256, type: meta?.type ?? 'application/octet-stream', data };
}
