import type { ChangeEvent } from '@internal/plugin-product-os-common';

/** Deployment statuses of a deployment that never went live. */
const FAILED = new Set(['failure', 'error', 'failed', 'cancelled', 'canceled']);

/**
 * A test for deployments that went live to users: not failed, and to one of `environments`
 * (compared without case; empty: every environment; a deployment that names none counts).
 */
export function liveDeploymentTest(
  environments: string[],
): (change: ChangeEvent) => boolean {
  const wanted = new Set(environments.map(e => e.toLowerCase()));
  return change =>
    change.kind === 'deployment' &&
    !FAILED.has((change.status ?? '').toLowerCase()) &&
    (wanted.size === 0 ||
      !change.environment ||
      wanted.has(change.environment.toLowerCase()));
}

const liveAts = new WeakMap<ChangeEvent, number>();

/** When a change began to reach users (a deployment's start), parsed once per change. */
export function liveAtOf(change: ChangeEvent): number {
  let at = liveAts.get(change);
  if (at === undefined) {
    at = Date.parse(change.occurredAt);
    liveAts.set(change, at);
  }
  return at;
}

/** When it had reached all of them: a deployment's finish, else when it began. */
export function liveUntilOf(change: ChangeEvent): number {
  const liveAt = liveAtOf(change);
  return change.finishedAt
    ? Math.max(Date.parse(change.finishedAt), liveAt)
    : liveAt;
}
