/**
 * THE contract: every operation the UI can ask of the core, declared once.
 *
 * From this one list are derived: the IPC handlers (main/), the preload's exposed object,
 * the HTTP routes of the loopback bridge (app/bridge/), and the renderer's client. Adding a
 * method = one entry here + its implementation in app/api/handlers.ts; the type checker
 * flags any transport or handler that is missing it.
 *
 * Inputs are zod schemas, validated at every boundary. Outputs are TypeScript types (the core
 * produces them, so they are trusted). Errors cross as { ok: false, error: { code, message } }.
 */
import { z } from 'zod';
import type { FolioErrorCode } from './errors.js';
import type { Settings } from './settings.js';
import type {
  ArchiveStats,
  ArticleDetail,
  ArticleSummary,
  ListPage,
  SearchHit,
  SearchOrder,
} from './article.js';

/** A method: its input schema and (phantom) output type. */
export interface MethodDef<I extends z.ZodType, O> {
  input: I;
  /** Never read at run time; carries the output type. */
  output?: O;
}
function method<O>() {
  return <I extends z.ZodType>(input: I): MethodDef<I, O> => ({ input });
}

const id = z.number().int().positive();
const ids = z.array(id).min(1).max(10_000);
const tag = z.string().trim().min(1).max(100);
const renderMode = z.enum(['auto', 'never', 'always']);

export const ThemeSchema = z.enum(['system', 'light', 'dark', 'sepia']);
export const SettingsSchema = z.object({
  theme: ThemeSchema,
  fontSize: z.number().int().min(12).max(32),
  lineWidth: z.number().int().min(40).max(120), // characters
  fontFamily: z.enum(['serif', 'sans']),
  allowPrivateAddresses: z.boolean(),
  renderMode: renderMode,
}) satisfies z.ZodType<Settings>;
export { DEFAULT_SETTINGS, type Settings } from './settings.js';

export type QueueItemStatus = 'pending' | 'running' | 'saved' | 'duplicate' | 'failed';
export interface QueueItem {
  jobId: number;
  url: string;
  status: QueueItemStatus;
  attempts: number;
  articleId: number | null;
  error: { code: string; message: string } | null;
  updatedAt: string;
}
export interface QueueStatus {
  pending: number;
  running: number;
  saved: number;
  duplicate: number;
  failed: number;
  items: QueueItem[]; // most recent first, bounded
}

export type ExportFormat = 'markdown' | 'html' | 'epub' | 'json' | 'bibtex' | 'csl-json';
export const EXPORT_FORMAT_NAMES = ['markdown', 'html', 'epub', 'json', 'bibtex', 'csl-json'] as const satisfies readonly ExportFormat[];

/** A finished UI export, waiting to be downloaded (GET /exports/<downloadId> on the bridge). */
export interface ExportReady {
  exportId: string;
  downloadId: string;
  /** What the download is called, e.g. folio-2026-01-31.zip. */
  fileName: string;
  articles: number;
  images: number;
  bytes: number;
}
/** How a UI import ended (the CLI's ImportSummary, minus the server-side path). */
export interface ImportOutcome {
  name: string;
  format: string;
  items: number;
  saved: number;
  bookmarked: number;
  duplicate: number;
  skipped: number;
  failed: number;
  /** The first few failed items, with their line in the file when known. */
  failures: { line: number | null; url: string; error: string }[];
  /** Set when the file was broken part-way (what came before was imported) or unreadable. */
  error?: { code: string; message: string; line: number | null };
}
/** Client-chosen ids let the UI match progress events that arrive before the call returns. */
const jobId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'use 8 to 64 letters, digits, - or _');
/** Base64 uploads over IPC/JSON are capped at 50 MB of file (the bridge streams larger ones). */
export const MAX_BASE64_UPLOAD_BYTES = 50 * 1024 * 1024;

export const contract = {
  // Capture
  'capture.add': method<{ jobs: { jobId: number; url: string }[] }>()(
    z.object({
      urls: z.array(z.string().trim().min(1).max(8192)).min(1).max(10_000),
      tags: z.array(tag).max(100).optional(),
      render: renderMode.optional(),
    }),
  ),
  'queue.status': method<QueueStatus>()(z.object({ limit: z.number().int().min(1).max(1000).optional() })),
  'queue.retry': method<{ retried: number }>()(z.object({ jobIds: ids })),
  'queue.clearFinished': method<{ cleared: number }>()(z.object({})),

  // Library
  'articles.list': method<ListPage<ArticleSummary>>()(
    z.object({
      state: z.enum(['all', 'unread', 'read', 'archived', 'favorite']).optional(),
      tag: tag.optional(),
      site: z.string().max(300).optional(),
      sort: z.enum(['saved', 'published', 'title']).optional(),
      order: z.enum(['asc', 'desc']).optional(),
      limit: z.number().int().min(1).max(500).optional(),
      offset: z.number().int().min(0).optional(),
    }),
  ),
  'articles.search': method<ListPage<SearchHit> & SearchOrder>()(
    z.object({
      query: z.string().max(20_000),
      limit: z.number().int().min(1).max(200).optional(),
      offset: z.number().int().min(0).optional(),
    }),
  ),
  'articles.get': method<ArticleDetail>()(z.object({ id })),
  'articles.setTags': method<ArticleSummary>()(z.object({ id, tags: z.array(tag).max(100) })),
  'articles.setFlags': method<{ updated: number }>()(
    z.object({
      ids,
      read: z.boolean().optional(),
      archived: z.boolean().optional(),
      favorite: z.boolean().optional(),
    }),
  ),
  'articles.setProgress': method<{ ok: true }>()(z.object({ id, progress: z.number().min(0).max(1) })),
  /** Moves to the trash; `articles.restore` undoes it. */
  'articles.delete': method<{ deleted: number }>()(z.object({ ids })),
  'articles.restore': method<{ restored: number }>()(z.object({ ids })),
  'articles.refresh': method<{ jobId: number }>()(z.object({ id })),

  // Facets and stats
  'tags.list': method<{ tag: string; count: number }[]>()(z.object({})),
  'sites.list': method<{ site: string; count: number }[]>()(z.object({})),
  'stats.get': method<ArchiveStats>()(z.object({})),

  // Settings
  'settings.get': method<Settings>()(z.object({})),
  'settings.set': method<Settings>()(SettingsSchema.partial()),

  // Export and import from the UI
  /** Writes the export to a temporary file; progress as `export.progress`; then download it. */
  'export.run': method<ExportReady>()(
    z.object({
      format: z.enum(EXPORT_FORMAT_NAMES),
      query: z.string().trim().min(1).max(20_000).optional(),
      tag: tag.optional(),
      ids: ids.optional(),
      exportId: jobId.optional(),
    }),
  ),
  /**
   * Imports a file (bookmarks HTML, CSV, JSON, zip, or one saved .html page) given as base64;
   * answers at once, progress and the outcome come as `import.progress`. The loopback bridge
   * also takes the raw bytes (application/octet-stream, up to 256 MB) on the same route.
   */
  'import.upload': method<{ importId: string }>()(
    z.object({
      name: z.string().trim().min(1).max(255),
      data: z.base64().max(Math.ceil(MAX_BASE64_UPLOAD_BYTES / 3) * 4, 'the file is over 50 MB; use folio import on the command line'),
      fetch: z.boolean().optional(),
      importId: jobId.optional(),
    }),
  ),
} as const;

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export const METHOD_NAMES = Object.keys(contract) as MethodName[];

export type InputOf<M extends MethodName> = z.input<Contract[M]['input']>;
export type ParsedInputOf<M extends MethodName> = z.output<Contract[M]['input']>;
export type OutputOf<M extends MethodName> = NonNullable<Contract[M]['output']>;

/** What the renderer calls, whatever the transport. */
export type FolioApi = { [M in MethodName]: (input: InputOf<M>) => Promise<OutputOf<M>> };
/** What the core implements; inputs arrive already validated. */
export type FolioHandlers = { [M in MethodName]: (input: ParsedInputOf<M>) => Promise<OutputOf<M>> };

/** Events pushed from core to UI (IPC send / server-sent events). */
export interface FolioEvents {
  'queue.progress': { item: QueueItem; status: Omit<QueueStatus, 'items'> };
  'library.changed': { ids: number[] };
  'export.progress': { exportId: string; done: number; total: number };
  /** `done` with `outcome` once the import has finished (or failed as a whole). */
  'import.progress': { importId: string; name: string; read: number; settled: number; done?: true; outcome?: ImportOutcome };
}
export type EventName = keyof FolioEvents;

export type ContractErrorCode = FolioErrorCode | 'VALIDATION' | 'UNKNOWN_METHOD';
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: { code: ContractErrorCode; message: string } };

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(contract, name);
}
