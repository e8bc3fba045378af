import type { ListFilter } from '../core/article.js';
import { hostKeyRange } from '../core/host-key.js';
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

/**
 * Whether some article matches `site` by its publication's name alone (its host neither `site`
 * nor a sub-domain of it). The archive's answer is siteNameCheck, below.
 */
export type SiteNameCheck = (site: string) => boolean;

/**
 * `sitesByName`: when given and it answers false for a `site:` value, the condition is the
 * host-key range alone (one index range, migration 0008), which then selects exactly the same
 * articles; otherwise the full condition below.
 */
export function filterSql(filters: readonly QueryFilter[], sitesByName?: SiteNameCheck): SqlParts {
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
        if (sitesByName && !sitesByName(f.value)) {
          const { lower, upper } = hostKeyRange(f.value);
          where.push(`${f.negated ? 'NOT ' : ''}(a.host_key >= ? AND a.host_key < ?)`);
          params.push(lower, upper);
          break;
        }
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

/**
 * The archive's answer to SiteNameCheck: an article (trashed ones included, so the answer
 * holds for any set of rows) whose publication name is `site`, ignoring case, and whose host is
 * outside `site`'s key range. Seeks the name index; none is the usual answer.
 */
export const SITE_BY_NAME_ONLY_SQL =
  'SELECT 1 FROM articles INDEXED BY articles_site_name WHERE site_name = ? COLLATE NOCASE AND NOT (host_key >= ? AND host_key < ?) LIMIT 1';

export function siteNameCheck(get: (sql: string, params: unknown[]) => unknown): SiteNameCheck {
  return (site) => {
    const { lower, upper } = hostKeyRange(site);
    return get(SITE_BY_NAME_ONLY_SQL, [site, lower, upper]) !== undefined;
  };
}
