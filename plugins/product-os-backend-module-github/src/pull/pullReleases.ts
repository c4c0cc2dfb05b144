import type { RestEndpointMethodTypes } from '@octokit/rest';
import { PayloadObject } from '../events';
import { mapReleaseEvent } from '../events/mapReleaseEvent';
import { conditionalPages } from './conditionalPages';
import type { RepositoryPull } from './RepositoryPull';

type Release =
  RestEndpointMethodTypes['repos']['listReleases']['response']['data'][number];

/**
 * Published releases of the window, newest first, mapped as a `release.published` delivery is
 * (the REST release is the webhook's `release` object), so both write the same row.
 */
export async function pullReleases(pull: RepositoryPull): Promise<void> {
  const { owner, repo, cursor } = pull;
  pull.spend(1);
  let etag: string | undefined;
  for await (const page of conditionalPages<Release>(
    pull.client,
    'GET /repos/{owner}/{repo}/releases',
    { owner, repo, per_page: 100 },
    cursor.releases.etag,
  )) {
    etag ??= page.etag;
    const inWindow = page.items.filter(
      release =>
        Date.parse(release.published_at ?? release.created_at) >= cursor.from,
    );
    await pull.write(
      inWindow.flatMap(release =>
        mapReleaseEvent(PayloadObject.of({ action: 'published', release })),
      ),
    );
    if (inWindow.length < page.items.length) break;
    pull.spend(1);
  }
  // Kept only once the whole list is stored: a 304 next time means nothing is missing.
  if (etag) cursor.releases.etag = etag;
}
