import type { MethodName } from '../../../app/core/contract.js';

/**
 * Every contract method name, listed here so the client can build one function per method
 * without importing contract.ts at run time (that would bundle zod into the UI).
 * `satisfies` makes the type checker fail when the contract gains or loses a method.
 */
const METHODS = {
  'capture.add': true,
  'queue.status': true,
  'queue.retry': true,
  'queue.clearFinished': true,
  'articles.list': true,
  'articles.search': true,
  'articles.get': true,
  'articles.setTags': true,
  'articles.setFlags': true,
  'articles.setProgress': true,
  'articles.delete': true,
  'articles.restore': true,
  'articles.refresh': true,
  'tags.list': true,
  'sites.list': true,
  'stats.get': true,
  'settings.get': true,
  'settings.set': true,
  'export.run': true,
  'import.upload': true,
} as const satisfies Record<MethodName, true>;

export const METHOD_NAMES = Object.keys(METHODS) as MethodName[];
