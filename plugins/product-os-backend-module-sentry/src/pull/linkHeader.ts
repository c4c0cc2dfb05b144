/**
 * The cursor of the next page from Sentry's `Link` header, or undefined on the last page. Sentry
 * always sends a `next` link; only `results="true"` says that page holds anything.
 * (https://docs.sentry.io/api/pagination/)
 */
export function nextCursor(link: string | null): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(/,\s*(?=<)/)) {
    const attributes = new Map<string, string>();
    for (const [, name, value] of part.matchAll(/;\s*([a-z]+)="([^"]*)"/g))
      attributes.set(name, value);
    if (
      attributes.get('rel') === 'next' &&
      attributes.get('results') === 'true'
    )
      return attributes.get('cursor');
  }
  return undefined;
}
