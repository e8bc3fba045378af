/**
 * Restoring a Folio JSON backup (`folio export --format json`; format documented in
 * app/export/json-backup.ts): `{ format: 'folio-backup', version: 1, exportedAt, articles, images }`
 * as one `.json` (images base64 inline) or a `.zip` (`backup.json` + `images/<sha256>`).
 *
 * Lossless and offline: each article is checked against the exporter's schema (BackupArticleSchema)
 * and restored verbatim through Archive.importRecord — original HTML, cleaned HTML, text, every
 * metadata field, images (by hash, verified), tags, states, saved/updated/fetched dates and
 * reading progress. Articles whose URL is already in the archive (even in the trash) are
 * skipped, so running it twice changes nothing the second time. A damaged record is reported as
 * failed and the others are restored.
 *
 * Records are stored RESTORE_BATCH at a time through Archive.importRecords (one transaction,
 * one savepoint per record): several times faster than a transaction per record (issue #6).
 * Reports still come out one per record, in backup order.
 */
import { createHash } from 'node:crypto';
import { normalizeTags } from '../core/query/tags.js';
import type { ImageBlob } from '../core/types.js';
import { BackupArticleSchema } from '../export/json-backup.js';
import type { Archive } from '../store/archive.js';
import type { RecordToImport } from '../store/articles-repo.js';
import { ImportFormatError, type ItemReport } from './import-items.js';
import { isRecord, parseJsonText } from './json-input.js';
import { openFileSet, readHead, readWholeText, type FileSet, type InputInfo } from './read-input.js';

interface BackupImage {
  sha256: string;
  type: string;
  /** base64 (single-file backups); absent in the zip variant. */
  data?: string;
}

/** Records per write transaction: big enough to amortise the commit and FTS5 segment, small enough to hold the lock briefly. */
const RESTORE_BATCH = 200;

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
    const batch = new RestoreBatch(archive, opts.onItem);
    try {
      for (const raw of backup.articles as unknown[]) {
        if (!isRecord(raw) || typeof raw.url !== 'string') continue;
        const stored = batch.add(await restoreArticle(archive, raw, { images, files, imageDir, label, extraTags: opts.extraTags }));
        // Let the event loop turn between batches (progress events, other requests of the app).
        if (stored) await new Promise((resolve) => setImmediate(resolve));
      }
    } catch (err) {
      // The backup turned out broken part-way: what was read before it is still restored.
      try {
        batch.flush();
      } catch {
        // The broken backup is the reason to report; its message says what to do.
      }
      throw err;
    }
    batch.flush();
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

/** A record ready to store, or a record's outcome already known (damaged, already in the archive). */
type RestoreStep = ItemReport | { url: string; bookmark: boolean; item: RecordToImport };

/** Collects records and stores them RESTORE_BATCH at a time; reports every record in input order. */
class RestoreBatch {
  private steps: RestoreStep[] = [];
  private pending = 0;

  constructor(
    private readonly archive: Archive,
    private readonly onItem: (report: ItemReport) => void,
  ) {}

  /** Returns true when this call stored a batch. */
  add(step: RestoreStep): boolean {
    this.steps.push(step);
    if ('item' in step) this.pending++;
    if (this.pending < RESTORE_BATCH && this.steps.length < RESTORE_BATCH * 4) return false;
    this.flush();
    return true;
  }

  flush(): void {
    const steps = this.steps;
    this.steps = [];
    this.pending = 0;
    const toStore = steps.filter((s): s is Extract<RestoreStep, { item: RecordToImport }> => 'item' in s);
    const results = toStore.length ? this.archive.importRecords(toStore.map((s) => s.item)) : [];
    let next = 0;
    for (const step of steps) {
      if (!('item' in step)) {
        this.onItem(step);
        continue;
      }
      const r = results[next++]!;
      if (!r.ok) this.onItem({ url: step.url, status: 'failed', error: r.error.message });
      else if (!r.result.created) this.onItem({ url: step.url, status: 'duplicate', id: r.result.id });
      else this.onItem({ url: step.url, status: step.bookmark ? 'bookmarked' : 'saved', id: r.result.id });
    }
  }
}

async function restoreArticle(archive: Archive, raw: Record<string, unknown>, ctx: RestoreContext): Promise<RestoreStep> {
  const url = String(raw.url);
  // The exporter's own schema: a record that does not match it is damaged, and restoring a
  // guess of it would not be lossless.
  const parsed = BackupArticleSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { url, status: 'failed', error: `${ctx.label}: the backup record of ${url} is damaged (${issue.path.join('.') || 'record'}: ${issue.message}); make the backup again` };
  }
  const a = parsed.data;
  const existing = archive.findByUrl(a.url, { includeDeleted: true });
  if (existing !== null) return { url: a.url, status: 'duplicate', id: existing };
  const blobs: ImageBlob[] = [];
  for (const ref of a.images) blobs.push(await imageBlob(ref.sha256, ctx));
  const { id: _exportedId, ...record } = a;
  // A record repeated within the batch is caught by importRecords (it checks earlier items too).
  return { url: a.url, bookmark: a.status === 'bookmark', item: { record: { ...record, tags: normalizeTags([...a.tags, ...ctx.extraTags]) }, blobs } };
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
