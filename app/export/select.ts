import type { ArticleDetail } from '../core/article.js';
import { FolioError } from '../core/errors.js';
import { normalizeTag } from '../core/query/tags.js';
import type { Archive } from '../store/archive.js';

/** Which articles an export takes: one of query, tag or ids; none of them = every live article. */
export interface ExportSelection {
  /** Folio's query language (app/core/query); every page of results, in result order. */
  query?: string;
  tag?: string;
  ids?: readonly number[];
}

/** The chosen article ids, in export order, resolved up front so progress has a total. */
export interface ResolvedSelection {
  ids: number[];
  describe: string;
}

const SEARCH_PAGE = 200;
const LIST_PAGE = 500;

export function resolveSelection(archive: Archive, sel: ExportSelection): ResolvedSelection {
  const given = [sel.query !== undefined, sel.tag !== undefined, sel.ids !== undefined].filter(Boolean).length;
  if (given > 1) {
    throw new FolioError('INVALID_INPUT', 'Choose the articles to export with one of --query, --tag or --ids, not several.');
  }
  if (sel.query !== undefined) return { ids: queryIds(archive, sel.query), describe: `matching "${sel.query}"` };
  if (sel.tag !== undefined) {
    const tag = normalizeTag(sel.tag);
    if (tag === null) throw new FolioError('INVALID_INPUT', `"${sel.tag}" is not a usable tag name; give a tag as \`folio list\` shows it.`);
    return { ids: listIds(archive, tag), describe: `tagged "${tag}"` };
  }
  if (sel.ids !== undefined) return { ids: checkedIds(archive, sel.ids), describe: `with ids ${sel.ids.join(',')}` };
  return { ids: listIds(archive), describe: 'in the archive' };
}

/** Loads the selected articles one at a time (bounded memory for large exports). */
export function* loadArticles(archive: Archive, ids: readonly number[]): Generator<ArticleDetail> {
  for (const id of ids) {
    const article = archive.getArticle(id);
    if (article) yield article; // trashed since the selection was resolved: skipped
  }
}

function queryIds(archive: Archive, query: string): number[] {
  const first = archive.search(query, { limit: SEARCH_PAGE });
  if (first.query.isEmpty) {
    throw new FolioError('INVALID_INPUT', `The query "${query}" has no words or filters to match; give search words or filters such as tag:x.`);
  }
  const ids = first.items.map((h) => h.id);
  // Page through all results, not only the first page a search box would show.
  for (let offset = ids.length; offset < first.total; ) {
    const page = archive.search(query, { limit: SEARCH_PAGE, offset });
    if (page.items.length === 0) break;
    ids.push(...page.items.map((h) => h.id));
    offset += page.items.length;
  }
  return [...new Set(ids)];
}

/** Oldest saved first, so an export reads like the archive grew. */
function listIds(archive: Archive, tag?: string): number[] {
  const ids: number[] = [];
  for (let offset = 0; ; offset += LIST_PAGE) {
    const page = archive.listArticles({ tag, sort: 'saved', order: 'asc', limit: LIST_PAGE, offset });
    ids.push(...page.items.map((a) => a.id));
    if (page.items.length < LIST_PAGE) return ids;
  }
}

function checkedIds(archive: Archive, ids: readonly number[]): number[] {
  const unique = [...new Set(ids)];
  const missing = unique.filter((id) => archive.getArticle(id) === null);
  if (missing.length > 0) {
    throw new FolioError(
      'NOT_FOUND',
      `No article with id ${missing.join(', ')} in ${archive.path}; check the ids with \`folio list\` (trashed articles are not exported).`,
    );
  }
  return unique;
}
