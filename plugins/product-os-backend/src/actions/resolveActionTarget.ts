import type { Entity } from '@backstage/catalog-model';
import {
  Diagnosis,
  DiagnosisActionId,
  GITHUB_PROJECT_SLUG_ANNOTATION,
} from '@internal/plugin-product-os-common';
import type { ProductOsStore } from '../database/ProductOsStore';
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

/**
 * The repository comes from the entity's `github.com/project-slug` annotation (catalog data, not
 * outside text); the pull request from the top suspect: a pull request itself, or a deployment,
 * commit or release whose sha is the sha of a pull request Product OS has stored.
 */
export async function resolveActionTarget(options: {
  action: DiagnosisActionId;
  diagnosis: Diagnosis;
  entity: Entity;
  store: ProductOsStore;
}): Promise<ActionTarget> {
  const { action, diagnosis, entity, store } = options;
  const slug =
    entity.metadata.annotations?.[GITHUB_PROJECT_SLUG_ANNOTATION]?.trim();
  const match = slug ? SLUG.exec(slug) : null;
  if (!match) {
    return {
      problem: slug
        ? `The ${GITHUB_PROJECT_SLUG_ANNOTATION} annotation of ${diagnosis.entityRef} is not owner/repo`
        : `${diagnosis.entityRef} has no ${GITHUB_PROJECT_SLUG_ANNOTATION} annotation`,
    };
  }
  const repository = { owner: match[1], repo: match[2] };
  if (action === 'github-issue') return { repository };

  // A pull request is only named on GitHub when the agent itself names a suspect.
  if (diagnosis.verdict === 'not_enough_evidence') {
    return {
      repository,
      problem: 'The diagnosis names no suspect: there is not enough evidence',
    };
  }
  const top = [...diagnosis.suspects].sort((a, b) => a.rank - b.rank)[0];
  if (!top)
    return { repository, problem: 'The diagnosis has no suspect change' };
  const { change } = top;
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
  const pulls = await store.getChangeEvents(diagnosis.entityRef, {
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
