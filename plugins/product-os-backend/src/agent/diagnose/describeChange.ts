import type { ChangeEvent } from '@internal/plugin-product-os-common';
import type { Candidate } from '../types';

/** `a1b2c3d` from a full sha. */
export function short(sha: string): string {
  return sha.slice(0, 7);
}

/** How a summary names a change: `deploy a1b2c3d`, `PR #812`, `commit a1b2c3d`. */
export function changeLabel(change: ChangeEvent): string {
  switch (change.kind) {
    case 'deployment':
      return `deploy ${change.sha ? short(change.sha) : change.externalId}`;
    case 'pull_request':
      return change.number !== undefined
        ? `PR #${change.number}`
        : `pull request "${change.title}"`;
    case 'commit':
      return `commit ${short(change.sha ?? change.externalId)}`;
    case 'release':
      return `release ${change.title}`;
    default:
      return `change "${change.title}"`;
  }
}

/** `deploy a1b2c3d (PR #812 by dana)`, `PR #812 by dana`. */
export function candidateLabel(candidate: Candidate): string {
  const label = changeLabel(candidate.change);
  const pr = candidate.pullRequest;
  if (candidate.change.kind === 'pull_request') {
    return candidate.author ? `${label} by ${candidate.author}` : label;
  }
  if (pr && pr !== candidate.change) {
    const by = pr.author ? ` by ${pr.author}` : '';
    return `${label} (${changeLabel(pr)}${by})`;
  }
  return candidate.author && candidate.change.kind !== 'change'
    ? `${label} by ${candidate.author}`
    : label;
}

/** `checkout-api` from `component:default/checkout-api`. */
export function entityName(entityRef: string): string {
  return entityRef.replace(/^[^:]*:/, '').replace(/^default\//, '');
}
