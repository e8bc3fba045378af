/**
 * A host's labels in reverse order, each followed by a dot: `news.example.com` →
 * `com.example.news.`. A host is `site` or one of its sub-domains exactly when its key starts
 * with the key of `site` (labels hold no dots, so a key prefix ending in a dot ends on a label
 * boundary), which turns the `site:` filter into one range of an index (migration 0008).
 * Purely textual, like the filter it serves: no public-suffix knowledge, IP addresses and
 * empty labels are keyed like any other string.
 */
export function hostKey(host: string): string {
  return `${host.split('.').reverse().join('.')}.`;
}

/** The keys of `site` and its sub-domains: `lower <= key < upper` ('/' is the character after '.'). */
export function hostKeyRange(site: string): { lower: string; upper: string } {
  const lower = hostKey(site);
  return { lower, upper: `${lower.slice(0, -1)}/` };
}
