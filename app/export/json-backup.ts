/**
 * Folio's lossless JSON backup (`folio export --format json`), read back by `folio import`.
 *
 * ── Format "folio-backup", version 1 ─────────────────────────────────────────────────────────
 * One UTF-8 JSON object (no BOM):
 *   {
 *     "format": "folio-backup",          always this string
 *     "version": 1,                       an importer refuses versions it does not know
 *     "exportedAt": "2024-06-01T12:00:00.000Z",
 *     "generator": "Folio",
 *     "imageData": "base64" | "files",    where image bytes are (see below)
 *     "articles": [ BackupArticle, ... ], in export order
 *     "images": [ BackupImage, ... ]      every image any article's html references, each once
 *   }
 * BackupArticle = every ArticleDetail field (app/core/article.ts) with the same name and meaning,
 *   plus `originalHtml` (the page as fetched, decompressed; null for bookmarks). `html` refers to
 *   images as `folio-asset:<sha256>`; `images` lists them (sha256, type, bytes, url). Dates are
 *   ISO 8601 strings. `id` is the id in the exporting archive: importers give new ids.
 * BackupImage = { sha256, type, bytes, data? }: `data` is the base64 of the bytes when
 *   imageData = "base64" (a plain .json file). In the .zip variant (imageData = "files") the zip
 *   holds `backup.json` (this object, without `data`) and `images/<sha256>` (raw bytes) per image.
 * An importer checks sha256(bytes) = sha256 for every image.
 *
 * Trashed articles are not exported: the trash is a pending delete, and a backup holds what the
 * user keeps. `folio import` restores each record verbatim (Archive.importRecord), updatedAt
 * included, into new ids; tests/integration/backup-roundtrip.test.ts checks the round trip.
 *
 * The file is written as a stream, one article at a time, so memory does not grow with the
 * archive; it is still one ordinary JSON document (use BackupFileSchema to validate it).
 */
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { z } from 'zod';
import type { ArticleDetail } from '../core/article.js';
import { beginAtomic } from './atomic-output.js';
import { allStoredImages, type ExportImage } from './images.js';
import { articlesWithProgress, type ExportRun, type WrittenCounts } from './run.js';
import { ZipWriter } from './zip-writer.js';

export const BACKUP_FORMAT = 'folio-backup';
export const BACKUP_VERSION = 1;
/** Entry names in the .zip variant. */
export const BACKUP_ZIP_JSON = 'backup.json';
export const backupZipImagePath = (sha256: string): string => `images/${sha256}`;

const isoDate = z.string().min(1);
const sha256 = z.string().regex(/^[0-9a-f]{64}$/);

export const BackupImageRefSchema = z.object({ sha256, type: z.string(), bytes: z.number().int().nonnegative(), url: z.string() });

export const BackupArticleSchema = z.object({
  id: z.number().int().positive(),
  url: z.string(),
  finalUrl: z.string(),
  canonicalUrl: z.string().nullable(),
  title: z.string(),
  byline: z.string().nullable(),
  siteName: z.string().nullable(),
  excerpt: z.string().nullable(),
  lang: z.string().nullable(),
  dir: z.enum(['ltr', 'rtl']).nullable(),
  publishedTime: isoDate.nullable(),
  savedAt: isoDate,
  updatedAt: isoDate,
  fetchedAt: isoDate.nullable(),
  wordCount: z.number().int().nonnegative(),
  readingMinutes: z.number().nonnegative(),
  leadImage: z.string().nullable(),
  tags: z.array(z.string()),
  status: z.enum(['captured', 'bookmark']),
  read: z.boolean(),
  archived: z.boolean(),
  favorite: z.boolean(),
  readingProgress: z.number().min(0).max(1),
  html: z.string(),
  text: z.string(),
  extractor: z.enum(['readability', 'json-ld', 'body']).nullable(),
  rendered: z.boolean(),
  images: z.array(BackupImageRefSchema),
  originalHtml: z.string().nullable(),
});

export const BackupImageSchema = z.object({
  sha256,
  type: z.string(),
  bytes: z.number().int().nonnegative(),
  /** base64; present exactly when imageData is "base64". */
  data: z.string().optional(),
});

export const BackupFileSchema = z
  .object({
    format: z.literal(BACKUP_FORMAT),
    version: z.literal(BACKUP_VERSION),
    exportedAt: isoDate,
    generator: z.string(),
    imageData: z.enum(['base64', 'files']),
    articles: z.array(BackupArticleSchema),
    images: z.array(BackupImageSchema),
  })
  .refine((f) => f.images.every((i) => (f.imageData === 'base64') === (i.data !== undefined)), {
    message: 'every image must carry base64 data when imageData is "base64", and none when it is "files"',
  });

export type BackupArticle = z.infer<typeof BackupArticleSchema>;
export type BackupImage = z.infer<typeof BackupImageSchema>;
export type BackupFile = z.infer<typeof BackupFileSchema>;

/** The backup record of one article: ArticleDetail + original HTML, keys in a stable order. */
export function backupArticle(a: ArticleDetail, originalHtml: string | null): BackupArticle {
  return {
    id: a.id,
    url: a.url,
    finalUrl: a.finalUrl,
    canonicalUrl: a.canonicalUrl,
    title: a.title,
    byline: a.byline,
    siteName: a.siteName,
    excerpt: a.excerpt,
    lang: a.lang,
    dir: a.dir,
    publishedTime: a.publishedTime,
    savedAt: a.savedAt,
    updatedAt: a.updatedAt,
    fetchedAt: a.fetchedAt,
    wordCount: a.wordCount,
    readingMinutes: a.readingMinutes,
    leadImage: a.leadImage,
    tags: a.tags,
    status: a.status,
    read: a.read,
    archived: a.archived,
    favorite: a.favorite,
    readingProgress: a.readingProgress,
    html: a.html,
    text: a.text,
    extractor: a.extractor,
    rendered: a.rendered,
    images: a.images,
    originalHtml,
  };
}

/** `.zip` → the zip variant (backup.json + images/<sha256>); anything else → one JSON file. */
export async function exportJsonBackup(run: ExportRun, out: string, opts: { overwrite?: boolean } = {}): Promise<WrittenCounts> {
  return out.toLowerCase().endsWith('.zip') ? writeZipBackup(run, out, opts) : writeJsonFile(run, out, opts);
}

async function writeJsonFile(run: ExportRun, out: string, opts: { overwrite?: boolean }): Promise<WrittenCounts> {
  const target = beginAtomic(out, 'file', opts);
  try {
    const counts = streamBackup(run, target.tempPath, 'base64');
    target.commit();
    return counts;
  } catch (err) {
    target.abort();
    throw err;
  }
}

async function writeZipBackup(run: ExportRun, out: string, opts: { overwrite?: boolean }): Promise<WrittenCounts> {
  const target = beginAtomic(out, 'file', opts);
  // The JSON is streamed to a side file first, then added to the zip from disk.
  const jsonTemp = `${target.tempPath}.json`;
  const zip = new ZipWriter(target.tempPath, run.now);
  try {
    const counts = streamBackup(run, jsonTemp, 'files', (sha, load) => zip.addLazy(backupZipImagePath(sha), load));
    zip.addFile(jsonTemp, BACKUP_ZIP_JSON);
    await zip.close();
    target.commit();
    return counts;
  } catch (err) {
    await zip.close().catch(() => undefined);
    target.abort();
    throw err;
  } finally {
    rmQuiet(jsonTemp);
  }
}

/**
 * Writes the backup object to `file` piece by piece. Images are collected while articles are
 * written (each once) and written after them; in "files" mode their bytes go to `onImage`.
 */
function streamBackup(
  run: ExportRun,
  file: string,
  imageData: 'base64' | 'files',
  onImage?: (sha256: string, load: () => Buffer) => void,
): WrittenCounts {
  const fd = openSync(file, 'wx');
  try {
    const write = (s: string) => writeSync(fd, s);
    write(
      `{"format":${JSON.stringify(BACKUP_FORMAT)},"version":${BACKUP_VERSION},"exportedAt":${JSON.stringify(run.now.toISOString())},` +
        `"generator":"Folio","imageData":${JSON.stringify(imageData)},\n"articles":[`,
    );
    const images = new Map<string, ExportImage>();
    let articles = 0;
    for (const article of articlesWithProgress(run)) {
      write(`${articles === 0 ? '\n' : ',\n'}${JSON.stringify(backupArticle(article, run.archive.getOriginalHtml(article.id)))}`);
      for (const image of allStoredImages(run.archive, article)) if (!images.has(image.sha256)) images.set(image.sha256, image);
      articles++;
    }
    write('\n],\n"images":[');
    let first = true;
    for (const [sha, image] of images) {
      let record: BackupImage;
      if (imageData === 'base64') {
        const data = image.load();
        record = { sha256: sha, type: image.type, bytes: data.byteLength, data: data.toString('base64') };
      } else {
        record = { sha256: sha, type: image.type, bytes: image.bytes ?? image.load().byteLength };
        onImage!(sha, image.load);
      }
      write(`${first ? '\n' : ',\n'}${JSON.stringify(record)}`);
      first = false;
    }
    write('\n]}\n');
    return { articles, images: images.size };
  } finally {
    closeSync(fd);
  }
}

function rmQuiet(file: string): void {
  try {
    rmSync(file, { force: true });
  } catch {
    // best effort: the temp lives beside the output under a .partial name
  }
}
