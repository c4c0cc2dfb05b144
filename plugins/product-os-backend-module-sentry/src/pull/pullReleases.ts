import type { ChangeEventInput } from '@internal/plugin-product-os-node';
import type { SentryApi } from './SentryApi';
import { ApiCommit, ApiDeploy, ApiRelease, timeOf } from './apiTypes';

/** A change event before it is given to the entities of the project. */
export type SentryChange = Omit<ChangeEventInput, 'entityRef'>;

/**
 * The project's releases created since `since` (Sentry lists the newest first, so paging stops
 * at the first older one), each with its commits, and the deploys of releases deployed since
 * `deployedSince`. A release with one commit or one deploy carries it already (`lastCommit`,
 * `lastDeploy`), so its list is not asked for: most releases are deployed once, and this halves
 * a back-fill's requests. Keys: a release by its version, a commit by its sha, a deploy by its
 * id, so pulling them again updates the same rows.
 */
export async function pullReleases(
  api: SentryApi,
  project: { organization: string; slug: string },
  since: number,
  deployedSince: number,
): Promise<{ changes: SentryChange[]; newest?: number }> {
  const org = encodeURIComponent(project.organization);
  const slug = encodeURIComponent(project.slug);
  const changes: SentryChange[] = [];
  let newest: number | undefined;
  for await (const page of api.pages<ApiRelease>(
    `/projects/${org}/${slug}/releases/`,
    { per_page: 100 },
  )) {
    let older = false;
    for (const release of page) {
      const created = timeOf(release.dateCreated) ?? 0;
      const deployed = timeOf(release.lastDeploy?.dateFinished);
      if (created < since) older = true;
      const version = encodeURIComponent(release.version);
      if (created >= since) {
        newest = Math.max(newest ?? 0, created);
        changes.push(releaseChange(release));
        if (release.commitCount === 1 && release.lastCommit?.id) {
          changes.push(commitChange(release.lastCommit));
        } else if (release.commitCount > 0) {
          for await (const commits of api.pages<ApiCommit>(
            `/projects/${org}/${slug}/releases/${version}/commits/`,
          ))
            changes.push(...commits.map(commitChange));
        }
      }
      if (
        release.deployCount > 0 &&
        deployed !== undefined &&
        deployed >= deployedSince
      ) {
        if (release.deployCount === 1 && release.lastDeploy?.id) {
          changes.push(deployChange(release, release.lastDeploy));
        } else {
          for await (const deploys of api.pages<ApiDeploy>(
            `/organizations/${org}/releases/${version}/deploys/`,
          ))
            changes.push(...deploys.map(d => deployChange(release, d)));
        }
      }
    }
    if (older) break;
  }
  return { changes, newest };
}

function releaseChange(release: ApiRelease): SentryChange {
  return {
    source: 'sentry',
    kind: 'release',
    externalId: release.version,
    title: release.shortVersion || release.version,
    sha: release.ref ?? undefined,
    url: release.url ?? undefined,
    occurredAt:
      timeOf(release.dateReleased) ?? timeOf(release.dateCreated) ?? 0,
  };
}

function commitChange(commit: ApiCommit): SentryChange {
  return {
    source: 'sentry',
    kind: 'commit',
    externalId: commit.id,
    sha: commit.id,
    title: (commit.message ?? commit.id).split('\n')[0],
    author: commit.author?.name ?? commit.author?.email ?? undefined,
    occurredAt: timeOf(commit.dateCreated) ?? 0,
  };
}

function deployChange(release: ApiRelease, deploy: ApiDeploy): SentryChange {
  const finished = timeOf(deploy.dateFinished);
  return {
    source: 'sentry',
    kind: 'deployment',
    externalId: deploy.id,
    title: `${release.shortVersion || release.version} to ${
      deploy.environment
    }`,
    environment: deploy.environment,
    status: 'success',
    sha: release.ref ?? undefined,
    url: deploy.url ?? undefined,
    occurredAt: timeOf(deploy.dateStarted) ?? finished ?? 0,
    finishedAt: finished,
  };
}
