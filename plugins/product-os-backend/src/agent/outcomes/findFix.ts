import type { ChangeEvent } from '@internal/plugin-product-os-common';
import { isRevertTitle, isRollback, revertsTitle } from '../../changes/rework';
import { sameSha, shortSha } from '../research/gatherCandidates';

/** How a suspect change was undone: a rollback deployment, or a revert (and when it went live). */
export interface Fix {
  kind: 'rollback' | 'revert';
  /** The rollback deployment, or the revert commit or pull request. */
  change: ChangeEvent;
  /** When it went live: the rollback's finish, the deployment that shipped the revert. */
  at: number;
}

/** Deployment statuses of a deployment that went live. */
const LIVE = new Set(['success', 'inactive', '']);

/**
 * The first undoing of `suspect` that went live at or after `from` (the anomaly's onset), from
 * the changes of the suspect's entity (`changes`, any order, from well before the suspect on):
 * - a **rollback**: a deployment to the suspect's environment of a commit deployed there before
 *   the suspect, and not the one running just before it (the rule DORA counts rework by);
 * - a **revert**: a commit, pull request or change event titled as a revert of the suspect or of
 *   a change it shipped (its sha, or merged since the deployment before it), live when it was
 *   merged where the entity reports no deployments, else with the first deployment after it.
 */
export function findFix(
  suspect: ChangeEvent,
  changes: ChangeEvent[],
  from: number,
): Fix | undefined {
  const deployments = changes
    .filter(
      c =>
        c.kind === 'deployment' &&
        LIVE.has((c.status ?? '').toLowerCase()) &&
        sameEnvironment(c, suspect),
    )
    .sort((a, b) => liveAt(a) - liveAt(b) || a.id - b.id);
  const fixes = [
    rollbackOf(suspect, deployments, from),
    revertOf(suspect, changes, deployments, from),
  ].filter((f): f is Fix => f !== undefined);
  return fixes.sort((a, b) => a.at - b.at)[0];
}

function rollbackOf(
  suspect: ChangeEvent,
  deployments: ChangeEvent[],
  from: number,
): Fix | undefined {
  if (suspect.kind !== 'deployment') return undefined;
  const index = deployments.findIndex(d => d.id === suspect.id);
  if (index < 0) return undefined;
  // Shas compared by their first seven characters, as GitHub and the agent shorten them.
  const short = (sha?: string) => (sha ? shortSha(sha) : undefined);
  const before = new Set(
    deployments
      .slice(0, index)
      .flatMap(d =>
        d.sha && !sameSha(d.sha, suspect.sha) ? [shortSha(d.sha)] : [],
      ),
  );
  for (let i = index + 1; i < deployments.length; i++) {
    const deployment = deployments[i];
    if (liveAt(deployment) < from) continue;
    if (
      isRollback(short(deployment.sha), short(deployments[i - 1].sha), before)
    )
      return { kind: 'rollback', change: deployment, at: liveAt(deployment) };
  }
  return undefined;
}

function revertOf(
  suspect: ChangeEvent,
  changes: ChangeEvent[],
  deployments: ChangeEvent[],
  from: number,
): Fix | undefined {
  const titles = shippedBy(suspect, changes, deployments).map(c => c.title);
  const reverts = changes
    .filter(
      c =>
        c.kind !== 'deployment' &&
        c.kind !== 'release' &&
        (c.kind !== 'pull_request' || (c.status ?? 'merged') === 'merged') &&
        isRevertTitle(c.title) &&
        titles.some(title => revertsTitle(c.title, title)),
    )
    .sort((a, b) => liveAt(a) - liveAt(b) || a.id - b.id);
  for (const revert of reverts) {
    const mergedAt = liveAt(revert);
    // Where the entity reports deployments a merge is live once one ships it.
    const at =
      deployments.length === 0 || revert.kind === 'change'
        ? mergedAt
        : deployments
            .filter(
              d =>
                sameSha(d.sha, revert.sha) ||
                Date.parse(d.occurredAt) >= mergedAt,
            )
            .map(liveAt)
            .sort((a, b) => a - b)[0];
    if (at !== undefined && at >= from)
      return { kind: 'revert', change: revert, at };
  }
  return undefined;
}

/** The suspect and what it shipped: for a deployment, its sha's and its merges since the one before. */
function shippedBy(
  suspect: ChangeEvent,
  changes: ChangeEvent[],
  deployments: ChangeEvent[],
): ChangeEvent[] {
  if (suspect.kind !== 'deployment') return [suspect];
  const index = deployments.findIndex(d => d.id === suspect.id);
  const since =
    index > 0 ? Date.parse(deployments[index - 1].occurredAt) : -Infinity;
  const startedAt = Date.parse(suspect.occurredAt);
  return [
    suspect,
    ...changes.filter(
      c =>
        (c.kind === 'pull_request' || c.kind === 'commit') &&
        (sameSha(c.sha, suspect.sha) ||
          (Date.parse(c.occurredAt) > since &&
            Date.parse(c.occurredAt) <= startedAt)),
    ),
  ];
}

function sameEnvironment(a: ChangeEvent, b: ChangeEvent): boolean {
  return (
    (a.environment ?? '').toLowerCase() === (b.environment ?? '').toLowerCase()
  );
}

/** When a change was live: a deployment when it finished, anything else when it happened. */
export function liveAt(change: ChangeEvent): number {
  return Date.parse(change.finishedAt ?? change.occurredAt);
}
