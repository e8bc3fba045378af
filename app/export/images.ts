import type { ArticleDetail } from '../core/article.js';
import { FolioError } from '../core/errors.js';
import { ASSET_SCHEME } from '../core/types.js';
import type { Archive } from '../store/archive.js';

/** File extension for a stored image's (sniffed) MIME type; `bin` when unknown. */
const EXTENSIONS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/avif': 'avif',
  'image/svg+xml': 'svg',
  'image/bmp': 'bmp',
  'image/x-icon': 'ico',
  'image/vnd.microsoft.icon': 'ico',
  'image/tiff': 'tiff',
  'image/apng': 'png',
};

export function extensionForType(type: string): string {
  return EXTENSIONS[type.toLowerCase().split(';')[0]!.trim()] ?? 'bin';
}

const ASSET_REF = new RegExp(`${ASSET_SCHEME}:([0-9a-f]{64})`, 'g');

/** SHA-256 hashes referenced as folio-asset:<sha256> in stored HTML, each once, in order. */
export function referencedImages(html: string): string[] {
  return [...new Set([...html.matchAll(ASSET_REF)].map((m) => m[1]!))];
}

/** The hash in a `folio-asset:<sha256>` URL, or null for any other URL. */
export function assetSha(src: string | null): string | null {
  const m = src ? new RegExp(`^${ASSET_SCHEME}:([0-9a-f]{64})$`).exec(src.trim()) : null;
  return m ? m[1]! : null;
}

/** The name an image gets in exports: a 16-hex prefix of its hash (unique enough) + extension. */
export function imageFileName(sha256: string, type: string): string {
  return `${sha256.slice(0, 16)}.${extensionForType(type)}`;
}

/** An image an article's HTML references and the archive holds; bytes read on demand. */
export interface ExportImage {
  sha256: string;
  type: string;
  /** Size from the article's image list, when known without reading the bytes. */
  bytes: number | null;
  load(): Buffer;
}

/**
 * The stored images an article's HTML references, in order of first use, each once. The type
 * comes from the article's image list so bytes need not be read until written; a reference
 * the archive cannot resolve is left out (its <img> is dropped by each format).
 */
export function storedImages(archive: Archive, article: ArticleDetail): ExportImage[] {
  const known = new Map(article.images.map((i) => [i.sha256, i]));
  const out: ExportImage[] = [];
  for (const sha of referencedImages(article.html)) {
    const ref = known.get(sha);
    // Not in the article's list (should not happen): ask the store.
    const type = ref?.type ?? archive.getImage(sha)?.type;
    if (type === undefined) continue;
    out.push({ sha256: sha, type, bytes: ref?.bytes ?? null, load: () => loadImage(archive, sha, article) });
  }
  return out;
}

/**
 * Every stored image of an article, for the lossless backup: those its HTML references plus
 * any other in its image list (e.g. a lead image shown only in the list view).
 */
export function allStoredImages(archive: Archive, article: ArticleDetail): ExportImage[] {
  const out = storedImages(archive, article);
  const seen = new Set(out.map((i) => i.sha256));
  for (const ref of article.images) {
    if (seen.has(ref.sha256)) continue;
    seen.add(ref.sha256);
    out.push({ sha256: ref.sha256, type: ref.type, bytes: ref.bytes, load: () => loadImage(archive, ref.sha256, article) });
  }
  return out;
}

function loadImage(archive: Archive, sha: string, article: ArticleDetail): Buffer {
  const image = archive.getImage(sha);
  if (!image) {
    throw new FolioError('NOT_FOUND', `Image ${sha} of article ${article.id} (${article.url}) vanished from ${archive.path} during the export; run the export again.`);
  }
  return image.data;
}
