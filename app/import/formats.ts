/** The import formats by name. Kept free of heavy imports: the CLI reads it at start-up. */
export const IMPORT_FORMATS = [
  'netscape',
  'pocket-csv',
  'pocket-zip',
  'pocket-html',
  'instapaper',
  'omnivore',
  'wallabag',
  'readeck',
  'urls',
  'folio-json',
] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** Import files larger than this are refused before reading. */
export const MAX_IMPORT_BYTES = 512 * 1024 * 1024;
