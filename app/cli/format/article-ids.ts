/**
 * Article ids given on the command line: parsing, and checking them all against the archive
 * before anything changes, so a typo in one id never leaves a command half-done.
 */
import { InvalidArgumentError } from 'commander';
import type { ArticleDetail } from '../../core/article.js';
import { FolioError } from '../../core/errors.js';
import type { Archive } from '../../store/archive.js';

/** Commander argument parser for one article id (a positive integer). Usage error otherwise. */
export function parseArticleId(value: string): number {
  try {
    return articleIdOrThrow(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

/** The id in `value`, or FolioError INVALID_INPUT (for arguments checked inside an action). */
export function articleIdOrThrow(value: string): number {
  const id = /^\d+$/.test(value.trim()) ? Number(value.trim()) : NaN;
  if (!Number.isSafeInteger(id) || id <= 0) {
    throw new FolioError('INVALID_INPUT', `"${value}" is not an article id (a positive whole number, as shown by folio list)`);
  }
  return id;
}

/** Commander collector for variadic ids: parses each and drops repeats. */
export function collectArticleId(value: string, previous: number[] | undefined): number[] {
  const id = parseArticleId(value);
  const ids = previous ?? [];
  return ids.includes(id) ? ids : [...ids, id];
}

export type IdState = 'live' | 'trashed' | 'missing';

export function articleState(archive: Archive, id: number): IdState {
  if (archive.getArticle(id)) return 'live';
  return archive.getArticle(id, { includeDeleted: true }) ? 'trashed' : 'missing';
}

/**
 * Throws NOT_FOUND naming every id that is not in the wanted state; returns the ids otherwise.
 * `want: 'live'` for commands on visible articles, 'trashed' for restore, 'any' for rm --purge.
 */
export function requireArticles(archive: Archive, ids: readonly number[], want: 'live' | 'trashed' | 'any'): number[] {
  const missing: number[] = [];
  const trashed: number[] = [];
  const live: number[] = [];
  for (const id of ids) {
    const state = articleState(archive, id);
    (state === 'missing' ? missing : state === 'trashed' ? trashed : live).push(id);
  }
  const list = (xs: number[]) => xs.map((id) => `#${id}`).join(', ');
  if (missing.length > 0) {
    throw new FolioError(
      'NOT_FOUND',
      `no article ${list(missing)} in ${archive.path}; nothing was changed (run folio list to see the ids)`,
    );
  }
  if (want === 'live' && trashed.length > 0) {
    throw new FolioError(
      'NOT_FOUND',
      `article ${list(trashed)} is in the trash in ${archive.path}; nothing was changed (folio restore ${trashed.join(' ')} brings it back)`,
    );
  }
  if (want === 'trashed' && live.length > 0) {
    throw new FolioError('INVALID_INPUT', `article ${list(live)} is not in the trash in ${archive.path}; nothing was changed`);
  }
  return [...ids];
}

/** The live article with this id or URL (as saved, final or canonical). */
export function findArticle(archive: Archive, idOrUrl: string): ArticleDetail {
  const trimmed = idOrUrl.trim();
  const id = /^\d+$/.test(trimmed) ? Number(trimmed) : archive.findByUrl(trimmed);
  const article = id ? archive.getArticle(id) : null;
  if (article) return article;
  const what = /^\d+$/.test(trimmed) ? `#${trimmed}` : `for ${trimmed}`;
  const trashed = id ? archive.getArticle(id, { includeDeleted: true }) : archive.findByUrl(trimmed, { includeDeleted: true });
  if (trashed) {
    const tid = typeof trashed === 'number' ? trashed : trashed.id;
    throw new FolioError('NOT_FOUND', `article ${what} is in the trash in ${archive.path} (folio restore ${tid} brings it back)`);
  }
  throw new FolioError('NOT_FOUND', `no article ${what} in ${archive.path} (run folio list to see the ids)`);
}
