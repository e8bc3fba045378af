import type { ListFilter } from '../core/article.js';
import { normalizeTag } from '../core/query/tags.js';
import type { QueryFilter } from '../core/query/types.js';

/**
 * SQL conditions for article filters, shared by listing, search and export. The articles
 * table is aliased `a`; every value is a bound parameter.
 */
export interface SqlParts {
  where: string[];
  params: unknown[];
}

const STATE_COLUMN = { unread: 'a.is_read = 0', read: 'a.is_read = 1', archived: 'a.is_archived = 1', favorite: 'a.is_favorite = 1' } as const;

export function filterSql(filters: readonly QueryFilter[]): SqlParts {
  const where: string[] = [];
  const params: unknown[] = [];
  for (const f of filters) {
    switch (f.kind) {
      case 'is':
        where.push(f.negated ? `NOT (${STATE_COLUMN[f.value]})` : STATE_COLUMN[f.value]);
        break;
      case 'tag':
        where.push(
          `${f.negated ? 'NOT ' : ''}EXISTS (SELECT 1 FROM article_tags at JOIN tags t ON t.id = at.tag_id ` +
            `WHERE at.article_id = a.id AND t.name = ?)`,
        );
        params.push(f.value);
        break;
      case 'site':
        // The host itself, any sub-domain of it, or the publication's name.
        where.push(
          `${f.negated ? 'NOT ' : ''}(a.host = ? OR (length(a.host) > length(?) AND substr(a.host, -length(?) - 1) = '.' || ?) ` +
            `OR coalesce(a.site_name = ? COLLATE NOCASE, 0))`,
        );
        params.push(f.value, f.value, f.value, f.value, f.value);
        break;
      case 'lang':
        // `en` matches en, en-GB, en-US…; no LIKE, so `%` or `_` in a value mean themselves.
        where.push(
          `${f.negated ? 'NOT ' : ''}coalesce(lower(a.lang) = ? OR lower(substr(a.lang, 1, length(?) + 1)) = ? || '-', 0)`,
        );
        params.push(f.value, f.value, f.value);
        break;
      case 'before':
        where.push('a.saved_at < ?');
        params.push(`${f.value}T00:00:00.000Z`);
        break;
      case 'after':
        where.push('a.saved_at >= ?');
        params.push(`${f.value}T00:00:00.000Z`);
        break;
    }
  }
  return { where, params };
}

/**
 * `tag:` as a condition on an article id expression (`a.id`, or `+rowid` inside a full-text
 * query, where it is checked before ranking): the same articles as filterSql's EXISTS form.
 * One parameter, the normalised tag.
 */
export function tagIdSql(negated: boolean, id: string): string {
  return `${id} ${negated ? 'NOT ' : ''}IN (SELECT at.article_id FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE t.name = ?)`;
}

/** The list view's filter (sidebar state, tag, site) as query filters. */
export function listFilters(filter: ListFilter): QueryFilter[] {
  const out: QueryFilter[] = [];
  const state = filter.state ?? 'all';
  if (state !== 'all') out.push({ kind: 'is', value: state, negated: false });
  if (filter.tag !== undefined) {
    // A tag that normalises to nothing can match nothing (rather than everything).
    out.push({ kind: 'tag', value: normalizeTag(filter.tag) ?? '\u0000', negated: false });
  }
  if (filter.site !== undefined && filter.site !== '') {
    out.push({ kind: 'site', value: filter.site.toLowerCase().replace(/^www\./, ''), negated: false });
  }
  return out;
}
