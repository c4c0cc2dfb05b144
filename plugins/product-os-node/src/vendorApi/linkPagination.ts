import parseLinkHeader from 'parse-link-header';

/**
 * The next page's URL from a `Link` header (RFC 8288), or undefined on the last page. Sentry
 * always sends a `rel="next"` link and says with `results="false"` that it is empty, so a link
 * carrying `results` is followed only when it is `"true"`.
 *
 * @public
 */
export function nextPageUrl(
  link: string | null | undefined,
): string | undefined {
  const next = parseLinkHeader(link)?.next;
  if (!next) return undefined;
  if (next.results !== undefined && next.results !== 'true') return undefined;
  return next.url;
}
