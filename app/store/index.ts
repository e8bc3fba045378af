/** The archive store: open a file, get an Archive. Everything callers need is re-exported here. */
export { openArchive, FOLIO_APPLICATION_ID, type OpenArchiveOptions } from './open-archive.js';
export { Archive } from './archive.js';
export { defaultArchivePath, resolveArchivePath } from './default-path.js';
export { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations/index.js';
export type { SaveOptions, SaveResult, BookmarkInput, ArticleIterationFilter, ArticleRecord, CaptureToSave, RecordToImport, BatchItemResult } from './articles-repo.js';
export type { SearchOptions, SearchPage } from './search.js';
export type { QueueJob, QueueJobOptions, EnqueueItem, QueueRepo } from './queue-repo.js';
