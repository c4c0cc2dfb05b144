import { isRevertTitle, isRollback } from '../../changes/rework';
import type { DoraChange, DoraDeployment, DoraRows } from './doraRows';

/**
 * What one production deployment contributes to DORA, whatever window it is counted in. Times
 * that decide whether something is known yet (`failures`, `recoveries[].resolvedAt`) are kept so
 * that a window ending in the past sees only what had happened by its end.
 */
export interface DeploymentFacts {
  entityRef: string;
  deployedAt: number;
  /** From each change it shipped to `deployedAt`. */
  leadTimesMs: number[];
  /** When each incident after it (before the next deployment) was created, and each diagnosis naming it or a change it shipped was made. */
  failures: number[];
  /** Each incident attributed to it that was resolved: when, and how long after the deployment. */
  recoveries: Array<{ resolvedAt: number; ms: number }>;
  /** It rolls back to an earlier deployment's commit, or ships a revert. */
  rework: boolean;
}

/**
 * Turns the rows of many entities into per-deployment facts, entity by entity, in one pass over
 * time-sorted rows:
 * - A deployment ships the changes of its entity made after the previous deployment's cut-off and
 *   up to its own: the time of the commit it deployed (its sha) when that commit is stored, else
 *   when the deployment started. History is taken as linear in time, as on a default branch.
 * - A merged pull request is a change of its own only when its merge commit is not stored (a
 *   pull of pull requests without commits); otherwise its commits are the changes.
 * - A change's lead time runs from its first commit: a commit's own time, except that a merged
 *   pull request (or its merge or squash commit, which stands for it) counts from the pull
 *   request's first commit when that is known, so a squashed branch is not measured from its
 *   merge. Which deployment ships a change is still decided by the time it reached the branch.
 * - An incident is attributed to the entity's last deployment that finished at or before it was
 *   created (as DevLake does); one created before any deployment is attributed to none.
 * - A diagnosis that names a deployment, or a change the deployment shipped, fails it.
 */
export function deploymentFacts(rows: DoraRows): DeploymentFacts[] {
  const byEntity = groupBy(rows.deployments, d => d.entityRef);
  const changesByEntity = groupBy(rows.changes, c => c.entityRef);
  const incidentsByEntity = groupBy(rows.incidents, i => i.entityRef);
  const diagnosedAt = new Map<number, number[]>();
  for (const s of rows.suspects) {
    diagnosedAt.set(s.changeEventId, [
      ...(diagnosedAt.get(s.changeEventId) ?? []),
      s.diagnosedAt,
    ]);
  }

  const facts: DeploymentFacts[] = [];
  for (const [entityRef, unsorted] of byEntity) {
    const deployments = [...unsorted].sort(
      (a, b) => a.deployedAt - b.deployedAt || a.id - b.id,
    );
    const changes = shippableChanges(changesByEntity.get(entityRef) ?? []);
    const commitTimes = new Map(
      changes.filter(c => c.sha).map(c => [c.sha!, c.at]),
    );
    const incidents = [...(incidentsByEntity.get(entityRef) ?? [])].sort(
      (a, b) => a.createdAt - b.createdAt,
    );

    let shippedUpTo = -Infinity;
    let next = 0; // the first change not shipped yet
    let incident = 0;
    const seenShas = new Set<string>();
    let previousSha: string | undefined;
    deployments.forEach((deployment, index) => {
      const cutoff = Math.max(shippedUpTo, cutoffOf(deployment, commitTimes));
      const shipped: ShippableChange[] = [];
      while (next < changes.length && changes[next].at <= cutoff) {
        if (changes[next].at > shippedUpTo) shipped.push(changes[next]);
        next += 1;
      }
      shippedUpTo = cutoff;

      const following = deployments[index + 1]?.deployedAt ?? Infinity;
      while (
        incident < incidents.length &&
        incidents[incident].createdAt < deployment.deployedAt
      )
        incident += 1;
      const attributed = [];
      while (
        incident < incidents.length &&
        incidents[incident].createdAt < following
      ) {
        attributed.push(incidents[incident]);
        incident += 1;
      }

      const failures = [
        ...attributed.map(i => i.createdAt),
        ...[deployment.id, ...shipped.map(c => c.id)].flatMap(
          id => diagnosedAt.get(id) ?? [],
        ),
      ];
      const rollback = isRollback(deployment.sha, previousSha, seenShas);
      if (deployment.sha) seenShas.add(deployment.sha);
      previousSha = deployment.sha;

      facts.push({
        entityRef,
        deployedAt: deployment.deployedAt,
        leadTimesMs: shipped.map(c =>
          Math.max(0, deployment.deployedAt - c.startedAt),
        ),
        failures,
        recoveries: attributed.flatMap(i =>
          i.resolvedAt === undefined
            ? []
            : [
                {
                  resolvedAt: i.resolvedAt,
                  ms: Math.max(0, i.resolvedAt - deployment.deployedAt),
                },
              ],
        ),
        rework: rollback || shipped.some(c => isRevertTitle(c.title)),
      });
    });
  }
  return facts;
}

/** A change a deployment can ship, with the time its lead time starts at. */
interface ShippableChange extends DoraChange {
  startedAt: number;
}

/**
 * Commits, and merged pull requests whose merge commit is not among them, oldest first; each
 * starts at its pull request's first commit when that is known and earlier.
 */
function shippableChanges(changes: DoraChange[]): ShippableChange[] {
  const commitShas = new Set(
    changes.filter(c => c.kind === 'commit' && c.sha).map(c => c.sha!),
  );
  const firstCommitBySha = new Map(
    changes
      .filter(c => c.kind === 'pull_request' && c.sha && c.firstCommitAt)
      .map(c => [c.sha!, c.firstCommitAt!]),
  );
  return changes
    .filter(
      c => c.kind === 'commit' || c.sha === undefined || !commitShas.has(c.sha),
    )
    .map(c => {
      const first =
        c.kind === 'pull_request'
          ? c.firstCommitAt
          : c.sha && firstCommitBySha.get(c.sha);
      return { ...c, startedAt: first ? Math.min(first, c.at) : c.at };
    })
    .sort((a, b) => a.at - b.at || a.id - b.id);
}

function cutoffOf(
  deployment: DoraDeployment,
  commitTimes: Map<string, number>,
): number {
  const committed = deployment.sha
    ? commitTimes.get(deployment.sha)
    : undefined;
  return committed ?? deployment.startedAt;
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
