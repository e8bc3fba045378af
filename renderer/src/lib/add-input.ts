/**
 * Turning what the user pasted into the "Add URL" box into a list of inputs for capture.add:
 * one URL or many, separated by newlines, spaces or commas (as copied from a list or a
 * spreadsheet column). Order is kept, exact duplicates dropped. Validation of each URL is the
 * core's job (it names the bad input in its error); this only splits.
 */
export function parseAddInput(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of text.split(/[\s,]+/)) {
    const token = raw.trim().replace(/^<(.*)>$/, '$1');
    if (!token || seen.has(token)) continue;
    seen.add(token);
    out.push(token);
  }
  return out;
}

/**
 * What the bookmarklet passed as `#add=<url-encoded url>`: the text to prefill the Add box
 * with, and whether to save it straight away. Only http(s) URLs are auto-saved: a fragment
 * is something any page can put in a link, so anything else waits for the user to press Save.
 */
export function readAddFragment(hash: string): { text: string; autoSave: boolean } | null {
  const m = /^#add=(.+)$/s.exec(hash);
  if (!m) return null;
  let text: string;
  try {
    text = decodeURIComponent(m[1]!).trim();
  } catch {
    return null; // malformed %-escapes: not something the bookmarklet produced
  }
  if (!text) return null;
  let autoSave = false;
  try {
    const u = new URL(text);
    autoSave = u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    autoSave = false;
  }
  return { text, autoSave };
}
