/** Folio's search query language: parse once (pure), compile to FTS5 (pure), run in app/store. */
export { parseQuery } from './parse-query.js';
export { toFts5Match, planTextQuery, routeTerm, quoteFts5, fts5Term } from './to-fts5.js';
export type { TextPlan, PlanAtom, TermRoute, FtsIndex } from './to-fts5.js';
export { normalizeTag, normalizeTags, MAX_TAG_CHARS } from './tags.js';
export { hasUnspacedScript, hasSearchableChar, codePointLength, unspacedRuns } from './scripts.js';
export * from './types.js';
