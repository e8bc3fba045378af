/** Output helpers shared by the archive commands (list, search, show, stats, …). */
export { columns, wrap, truncate, fit, TERMINAL_WIDTH } from './text.js';
export { renderTable, type TableColumn } from './table.js';
export { formatDay } from './dates.js';
export { formatBytes } from './bytes.js';
export { snippetToMarkdown, snippetToAnsi, snippetForTerminal, useColor, stripMarks } from './snippet.js';
export { articleRecord, searchRecord, siteOf, flagLetters, writeJsonLine, type ArticleRecord, type SearchRecord } from './records.js';
