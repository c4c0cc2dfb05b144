import { conditionalGet } from './conditionalPages';
import type { RepositoryPull } from './RepositoryPull';

/** The repository's page URL (a deployment without a status links to its list), conditionally. */
export async function pullRepositoryInfo(pull: RepositoryPull): Promise<void> {
  pull.spend(1);
  const result = await conditionalGet<{ html_url: string }>(
    pull.client,
    'GET /repos/{owner}/{repo}',
    { owner: pull.owner, repo: pull.repo },
    pull.cursor.repo.etag,
  );
  if (result) {
    pull.cursor.repo = { etag: result.etag, htmlUrl: result.data.html_url };
  }
}
