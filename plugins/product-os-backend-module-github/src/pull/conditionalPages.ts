import type { RepositoryClient } from './GitHubApi';

/** One page of a list, with the ETag of the first page for the next run's conditional request. */
export interface ListPage<T> {
  items: T[];
  /** The first page's ETag (the one worth keeping); undefined on later pages. */
  etag?: string;
}

/**
 * The pages of a GitHub list, newest first, fetched one at a time so a long list is never held
 * whole. The first request is conditional on `etag`: when nothing changed GitHub answers 304,
 * which does not count against the rate limit, and no page is yielded. Later pages follow the
 * `Link` header's `next`.
 */
export async function* conditionalPages<T>(
  client: RepositoryClient,
  route: string,
  params: Record<string, string | number | undefined>,
  etag: string | undefined,
): AsyncGenerator<ListPage<T>> {
  let response;
  try {
    response = await client.octokit.request(route, {
      ...params,
      headers: etag ? { 'if-none-match': etag } : {},
    });
  } catch (error) {
    if ((error as { status?: number }).status === 304) return;
    throw error;
  }
  yield { items: response.data as T[], etag: response.headers.etag };
  let next = nextPage(response.headers.link);
  while (next) {
    const page = await client.octokit.request(`GET ${next}`);
    yield { items: page.data as T[] };
    next = nextPage(page.headers.link);
  }
}

/** Fetches one resource conditionally: undefined when it is unchanged since `etag` (a 304). */
export async function conditionalGet<T>(
  client: RepositoryClient,
  route: string,
  params: Record<string, string | number | undefined>,
  etag: string | undefined,
): Promise<{ data: T; etag?: string } | undefined> {
  for await (const page of conditionalPages<T>(client, route, params, etag)) {
    return { data: page.items as unknown as T, etag: page.etag };
  }
  return undefined;
}

/** The `next` URL of a `Link` header (`<https://…?page=2>; rel="next", …`). */
function nextPage(link: string | undefined): string | undefined {
  return link
    ?.split(',')
    .map(part => /<([^>]+)>;\s*rel="next"/.exec(part)?.[1])
    .find(Boolean);
}
