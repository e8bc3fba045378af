import { createHash } from 'node:crypto';
import type { StoredImageRef } from '../core/article.js';
import { FolioError } from '../core/errors.js';
import type { CapturedImage, ImageBlob } from '../core/types.js';
import type { StoreContext } from './context.js';

/** An article's images, checked and ready to link (see prepareImages). */
export interface PreparedImages {
  refs: { sha256: string; url: string; position: number }[];
  blobs: Map<string, ImageBlob>;
  /** For error messages: the page the images belong to. */
  pageUrl: string;
}

/**
 * Checks a capture's images before any write: each blob's bytes must hash to its sha256 (the
 * store is content-addressed: a wrong hash would corrupt every article sharing it). Runs
 * outside the write transaction because hashing takes time.
 */
export function prepareImages(pageUrl: string, images: readonly CapturedImage[], blobs: readonly ImageBlob[]): PreparedImages {
  const byHash = new Map<string, ImageBlob>();
  for (const blob of blobs) {
    const actual = createHash('sha256').update(blob.data).digest('hex');
    if (actual !== blob.sha256.toLowerCase()) {
      throw new FolioError(
        'INTERNAL',
        `An image of ${pageUrl} does not match its SHA-256 (claimed ${blob.sha256}, bytes hash to ${actual}); ` +
          'nothing was saved. This is a bug in the capture step: please report it.',
      );
    }
    byHash.set(actual, blob);
  }
  const refs: PreparedImages['refs'] = [];
  const seen = new Set<string>();
  images.forEach((img) => {
    if (!('sha256' in img)) return; // failed downloads are not stored
    const sha256 = img.sha256.toLowerCase();
    if (seen.has(sha256)) return;
    seen.add(sha256);
    refs.push({ sha256, url: img.url, position: refs.length });
  });
  return { refs, blobs: byHash, pageUrl };
}

export class ImagesRepo {
  constructor(private readonly ctx: StoreContext) {}

  /**
   * Makes the article's image links exactly `prepared.refs` (inserting new bytes, sharing
   * existing ones) and deletes images no article uses any more. Call inside a write transaction.
   * `fresh`: the article was created in this transaction, so it has no links to replace.
   */
  link(articleId: number, prepared: PreparedImages, opts: { fresh?: boolean } = {}): void {
    let previous: string[] = [];
    if (!opts.fresh) {
      previous = this.ctx
        .stmt<{ sha256: string }>('SELECT sha256 FROM article_images WHERE article_id = ?')
        .all(articleId)
        .map((r) => r.sha256);
      this.ctx.stmt('DELETE FROM article_images WHERE article_id = ?').run(articleId);
    }
    const exists = this.ctx.stmt<{ one: number }>('SELECT 1 AS one FROM images WHERE sha256 = ?');
    const insertImage = this.ctx.stmt(
      'INSERT INTO images (sha256, type, bytes, data) VALUES (?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING',
    );
    const insertLink = this.ctx.stmt('INSERT INTO article_images (article_id, sha256, url, position) VALUES (?, ?, ?, ?)');
    for (const ref of prepared.refs) {
      const blob = prepared.blobs.get(ref.sha256);
      if (blob) {
        insertImage.run(ref.sha256, blob.type, blob.data.byteLength, Buffer.from(blob.data.buffer, blob.data.byteOffset, blob.data.byteLength));
      } else if (!exists.get(ref.sha256)) {
        throw new FolioError(
          'INTERNAL',
          `The image ${ref.url} of ${prepared.pageUrl} (sha256 ${ref.sha256}) came without its bytes and is not in the archive; ` +
            'nothing was saved. This is a bug in the capture step: please report it.',
        );
      }
      insertLink.run(articleId, ref.sha256, ref.url, ref.position);
    }
    this.collect(previous);
  }

  /** Deletes, among `candidates`, the images no article links to any more. Returns how many. */
  collect(candidates: readonly string[]): number {
    if (candidates.length === 0) return 0;
    return this.ctx
      .stmt(
        `DELETE FROM images WHERE sha256 IN (SELECT value FROM json_each(?))
           AND NOT EXISTS (SELECT 1 FROM article_images ai WHERE ai.sha256 = images.sha256)`,
      )
      .run(JSON.stringify([...new Set(candidates)])).changes;
  }

  /** Images linked to any of the articles (for collecting after those articles are deleted). */
  shasOf(articleIds: readonly number[]): string[] {
    return this.ctx
      .stmt<{ sha256: string }>(
        'SELECT DISTINCT sha256 FROM article_images WHERE article_id IN (SELECT value FROM json_each(?))',
      )
      .all(JSON.stringify(articleIds))
      .map((r) => r.sha256);
  }

  forArticle(articleId: number): StoredImageRef[] {
    return this.ctx
      .stmt<StoredImageRef>(
        `SELECT ai.sha256, i.type, i.bytes, ai.url FROM article_images ai JOIN images i ON i.sha256 = ai.sha256
          WHERE ai.article_id = ? ORDER BY ai.position`,
      )
      .all(articleId);
  }

  get(sha256: string): { type: string; data: Buffer } | null {
    const row = this.ctx
      .stmt<{ type: string; data: Buffer }>('SELECT type, data FROM images WHERE sha256 = ?')
      .get(String(sha256).toLowerCase());
    return row ?? null;
  }
}
