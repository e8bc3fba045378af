/**
 * What every import format turns into (ImportItem), and how items reach the archive:
 *   - items with exported content (Omnivore, Wallabag, Readeck) are extracted and saved offline;
 *   - with --no-fetch, URL items become bookmarks (listed and searchable by title and URL);
 *   - otherwise URL items are handed to the durable capture queue (see import-run.ts).
 * Nothing already in the archive is ever changed: a URL already there (even in the trash) is
 * reported as a duplicate and skipped.
 */
import { FolioError } from '../core/errors.js';
import { normalizeTags } from '../core/query/tags.js';
import type { Capture } from '../core/types.js';
import { tryNormalizeUrl } from '../core/url-normalize.js';
import { extractArticle } from '../capture/extract.js';
import { localizeImages } from '../capture/images.js';
import type { ExtractionWorkers } from '../capture/extract-pool.js';
import type { Archive } from '../store/archive.js';

export { IMPORT_FORMATS, type ImportFormat } from './formats.js';

/** One article as an exporter recorded it. */
export interface ImportItem {
  url: string;
  title?: string;
  tags: string[];
  /** ISO 8601: when the user saved it in the other app. */
  savedAt?: string;
  read?: boolean;
  archived?: boolean;
  favorite?: boolean;
  /** 0..1 */
  progress?: number;
  description?: string;
  /** Where the item starts in the export file (1-based), for messages. */
  line?: number;
  /** The article as the other app stored it: saved offline, without fetching the page. */
  content?: { html: string; byline?: string | null; publishedAt?: string | null };
}

/**
 * A problem in the export file itself. `line` (1-based) is where it was found, when the format
 * has lines; items before it have already been imported.
 */
export class ImportFormatError extends FolioError {
  constructor(
    readonly file: string,
    readonly line: number | null,
    problem: string,
    todo: string,
    options: { cause?: unknown } = {},
  ) {
    super('BAD_FORMAT', `${file}${line === null ? '' : `, line ${line}`}: ${problem}; ${todo}`, options);
  }
}

export type ItemStatus = 'saved' | 'bookmarked' | 'queued' | 'duplicate' | 'skipped' | 'failed';

/** One line of `folio import --json` output. */
export interface ItemReport {
  line?: number;
  url: string;
  status: ItemStatus;
  id?: number;
  error?: string;
}

export interface StoreItemOptions {
  /** false (--no-fetch): bookmarks instead of queued captures. */
  fetch: boolean;
  /** Added to every item's own tags (--tag). */
  extraTags: readonly string[];
  /** The export file, for messages and image records. */
  file: string;
  /**
   * Extraction (and the images' DOM steps) off this thread, as captures do: an Omnivore or
   * Wallabag export holds thousands of articles, each ~100 ms of parsing that would otherwise
   * stall the app's or the CLI's event loop. Without it, extraction runs here.
   */
  workers?: ExtractionWorkers;
}

/**
 * Stores one item that needs no network (content or bookmark), or says it must be queued.
 * Returns null when the item should be queued (fetch mode, no content).
 */
export async function storeOfflineItem(archive: Archive, item: ImportItem, opts: StoreItemOptions): Promise<ItemReport | null> {
  const base = { ...(item.line === undefined ? {} : { line: item.line }), url: item.url };
  const url = webUrl(item.url);
  if (url === null) {
    return { ...base, status: 'skipped', error: `not a web address (only http and https pages can be saved)` };
  }
  const existing = archive.findByUrl(url, { includeDeleted: true });
  if (existing !== null) return { ...base, status: 'duplicate', id: existing };
  const saveOptions = {
    tags: normalizeTags([...item.tags, ...opts.extraTags]),
    ...(item.savedAt ? { savedAt: item.savedAt } : {}),
    read: item.read ?? false,
    archived: item.archived ?? false,
    favorite: item.favorite ?? false,
  };
  if (item.content) {
    try {
      const { capture, blobs } = await offlineCapture(item, opts.file, opts.workers);
      const result = archive.saveCapture(capture, blobs, saveOptions);
      if (result.created && item.progress !== undefined && item.progress > 0) archive.setProgress(result.id, item.progress);
      return { ...base, status: result.created ? 'saved' : 'duplicate', id: result.id };
    } catch (err) {
      // Content the extractor cannot use still deserves a place: keep it as a bookmark.
      const result = archive.addBookmark({ url: item.url, ...(item.title ? { title: item.title } : {}), ...saveOptions });
      const reason = err instanceof Error ? err.message : String(err);
      return { ...base, status: 'bookmarked', id: result.id, error: `exported content unusable (${reason}); kept as a bookmark` };
    }
  }
  if (opts.fetch) return null;
  const result = archive.addBookmark({ url: item.url, ...(item.title ? { title: item.title } : {}), ...saveOptions });
  return { ...base, status: result.created ? 'bookmarked' : 'duplicate', id: result.id };
}

/**
 * The exported HTML → a Capture, with no network at all: every remote image is recorded as not
 * saved (the stored HTML keeps its address for "load original"); data: images are kept.
 */
export async function offlineCapture(
  item: ImportItem,
  file: string,
  workers?: ExtractionWorkers,
): Promise<{ capture: Capture; blobs: Awaited<ReturnType<typeof localizeImages>>['blobs'] }> {
  const html = item.content!.html;
  const extraction = workers ? await workers.extract(html, item.url) : extractArticle(html, item.url);
  const reason = `not downloaded: imported offline from ${file}`;
  const localized = await localizeImages(extraction.html, item.url, {
    referer: '',
    knownFailures: new OfflineImages(reason),
    leadImageUrl: extraction.leadImage,
    ...(workers ? { dom: workers.imageDom } : {}),
  });
  const title = extraction.title && extraction.title !== item.url ? extraction.title : (item.title ?? extraction.title);
  const capture: Capture = {
    ...extraction,
    title: item.title?.trim() || title,
    byline: extraction.byline ?? item.content?.byline ?? null,
    publishedTime: extraction.publishedTime ?? item.content?.publishedAt ?? null,
    html: localized.html,
    leadImage: localized.leadImage ? localized.leadImage.sha256 : null,
    input: item.url,
    url: item.url,
    finalUrl: item.url,
    images: localized.images,
    rendered: false,
    originalHtml: html,
    fetchedAt: item.savedAt ?? new Date().toISOString(),
  };
  return { capture, blobs: localized.blobs };
}

/**
 * localizeImages consults `knownFailures` before any download; answering for every http(s)
 * address guarantees an offline import never touches the network.
 */
class OfflineImages extends Map<string, string> {
  constructor(private readonly reason: string) {
    super();
  }
  override get(url: string): string | undefined {
    return /^https?:/i.test(url) ? this.reason : undefined;
  }
}

/** The normalised address of an http(s) page, or null (place:, javascript:, mailto:, junk…). */
export function webUrl(url: string): string | null {
  return /^\s*https?:\/\//i.test(url) ? tryNormalizeUrl(url) : null;
}

/** Unix time in seconds, milliseconds or microseconds (exporters differ) → ISO 8601. */
export function unixToIso(value: string | number | undefined | null): string | undefined {
  if (value === undefined || value === null || String(value).trim() === '') return undefined;
  const n = Number(String(value).trim());
  if (!Number.isFinite(n) || n <= 0) return undefined;
  // Seconds until the year 5138 stay below 1e11; ms below 1e14; beyond that µs.
  const ms = n < 1e11 ? n * 1000 : n < 1e14 ? n : n / 1000;
  const d = new Date(Math.round(ms));
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** Any date string an exporter writes (ISO 8601, RFC 2822, "2024-01-02 10:00:00") → ISO, or undefined. */
export function dateToIso(value: unknown): string | undefined {
  if (typeof value === 'number') return unixToIso(value);
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return unixToIso(text);
  // "2024-01-02 10:00:00" without a zone: exporters mean UTC.
  const spaced = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?$/.test(text) ? text.replace(' ', 'T') + 'Z' : text;
  const d = new Date(spaced);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}
