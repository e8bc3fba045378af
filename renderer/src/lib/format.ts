/** Display formatting for dates, counts and reading time; one Intl formatter each, reused. */

const dateFmt = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
const numberFmt = new Intl.NumberFormat();

/** "12 Mar 2025", or '' for a missing or unparsable date. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : dateFmt.format(d);
}

export function formatCount(n: number, one: string, many: string): string {
  return `${numberFmt.format(n)} ${n === 1 ? one : many}`;
}

export function formatReadingTime(minutes: number): string {
  if (!Number.isFinite(minutes) || minutes <= 0) return '';
  return minutes < 1 ? '< 1 min read' : `${Math.round(minutes)} min read`;
}

/** The host of a URL without "www.", used when an article has no site name. */
export function hostOf(url: string): string {
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return url;
  }
}
