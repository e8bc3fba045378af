/**
 * Dates for people: the calendar day in the local time zone (the day the user saved it, as they
 * remember it). JSON output keeps the stored ISO 8601 strings untouched.
 */
export function formatDay(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
