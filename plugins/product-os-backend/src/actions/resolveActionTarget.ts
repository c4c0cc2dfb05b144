import type { Entity } from '@backstage/catalog-model';
import {
  Diagnosis,
  DiagnosisActionId,
  GITHUB_PROJECT_SLUG_ANNOTATION,
} from '@internal/plugin-product-os-common';
import type { ChangeStore } from '../database/changes/ChangeStore';
import type { Repository } from './renderActionPreview';

/** Where an action would write, or why it cannot. */
export interface ActionTarget {
  repository?: Repository;
  pullNumber?: number;
  /** Why the action cannot run; absent when it can. */
  problem?: string;
}

const SLUG = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/;
/** How far back a deployment's merged pull request is looked for. */
const PULL_REQUEST_LOOKBACK_MS = 90 * 86_400_000;

/** The `owner/repo` of an entity's `github.com/project-slug`, or why there is none. */
function repositoryOf(
  entity: Entity,
  entityRef: string,
): { repository: Repository } | { problem: string } {
  const slug =
    entity.metadata.annotations?.[GITHUB_PROJECT_SLUG_ANNOTATION]?.trim();
  const match = slug ? SLUG.exec(slug) : null;
  if (!match) {
    return {
      problem: slug
        ? `The ${GITHUB_PROJECT_SLUG_ANNOTATION} annotation of ${entityRef} is not owner/repo`
        : `${entityRef} has no ${GITHUB_PROJECT_SLUG_ANNOTATION} annotation`,
    };
  }
  return { repository: { owner: match[1], repo: match[2] } };
}

/**
 * Repositories come from `github.com/project-slug` annotations (catalog data, not outside text):
 * an issue goes to the diagnosed entity's repository; a pull request comment goes to the
 * repository of the entity whose change the top suspect is (an upstream dependency's pull
 * request lives in the dependency's repository, not in the diagnosed one). The pull request is
 * the top suspect itself, or the stored pull request of that entity whose sha is the sha of the
 * suspect deployment, commit or release.
 *
 * `diagnosis` is the diagnosis as the caller may see it; `topSuspectHidden` says its top suspect
 * was a change of an entity the caller may not see, which is then never named.
 */
export async function resolveActionTarget(options: {
  action: DiagnosisActionId;
  diagnosis: Diagnosis;
  entity: Entity;
  changes: Pick<ChangeStore, 'getChangeEvents'>;
  /** The catalog entity of a suspect change of another entity, as the caller may see it. */
  entityOf: (entityRef: string) => Promise<Entity | undefined>;
  topSuspectHidden?: boolean;
}): Promise<ActionTarget> {
  const { action, diagnosis, entity, changes } = options;
  const own = repositoryOf(entity, diagnosis.entityRef);
  if (action === 'github-issue') return own;
  const fallback = 'repository' in own ? own.repository : undefined;

  // A pull request is only named on GitHub when the agent itself names a suspect.
  if (diagnosis.verdict === 'not_enough_evidence') {
    return {
      repository: fallback,
      problem: 'The diagnosis names no suspect: there is not enough evidence',
    };
  }
  if (options.topSuspectHidden) {
    return {
      repository: fallback,
      problem:
        'The top suspect is a change in a dependency you cannot see, so no pull request is named',
    };
  }
  const top = [...diagnosis.suspects].sort((a, b) => a.rank - b.rank)[0];
  if (!top)
    return {
      repository: fallback,
      problem: 'The diagnosis has no suspect change',
    };
  const { change } = top;
  const changeEntity =
    change.entityRef.toLocaleLowerCase('en-US') ===
    diagnosis.entityRef.toLocaleLowerCase('en-US')
      ? entity
      : await options.entityOf(change.entityRef);
  if (!changeEntity) {
    return {
      repository: fallback,
      problem: `${change.entityRef}, the entity of the top suspect, is not in the catalog`,
    };
  }
  const target = repositoryOf(changeEntity, change.entityRef);
  if (!('repository' in target)) return target;
  const { repository } = target;
  if (change.kind === 'pull_request') {
    return change.number !== undefined
      ? { repository, pullNumber: change.number }
      : { repository, problem: 'The top suspect pull request has no number' };
  }
  if (!change.sha) {
    return {
      repository,
      problem: `The top suspect is a ${change.kind} without a sha, so no pull request is known`,
    };
  }
  const to = Date.parse(change.occurredAt) + 1;
  const pulls = await changes.getChangeEvents(change.entityRef, {
    from: to - PULL_REQUEST_LOOKBACK_MS,
    to,
    kinds: ['pull_request'],
  });
  const sha = change.sha.toLowerCase();
  const pull = pulls.find(
    p => p.number !== undefined && p.sha?.toLowerCase() === sha,
  );
  return pull
    ? { repository, pullNumber: pull.number }
    : {
        repository,
        problem: `No pull request is known whose sha is that of the top suspect ${change.kind}`,
      };
}
