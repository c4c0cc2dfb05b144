import type { ChangeEvent } from '@internal/plugin-product-os-common';
import type { AgentConfig } from '../../config';
import { liveAtOf, liveDeploymentTest, liveUntilOf } from '../liveDeployments';
import type { Candidate, EntityContext } from '../types';

export interface GatherInput {
  entity: EntityContext;
  onsetAt: number;
  onsetUncertaintyMs: number;
  /** Changes of the entity and its dependencies, from well before the lookback to the onset. */
  changes: ChangeEvent[];
  config: Pick<AgentConfig, 'lookbackMs' | 'environments'>;
}

/**
 * The changes that could have caused an anomaly, per entity (the anomalous one and its
 * dependencies) as they went live: where an entity reports deployments, each deployment is a
 * candidate carrying the pull requests and commits whose sha it deployed or that were merged
 * since the deployment before it, and merges that were never deployed are not live; without deployments, each
 * merged pull request and each commit outside a pull request is a candidate. Releases not tied
 * to a deployment and change events (PagerDuty: config, flags, infrastructure) are candidates
 * on their own. Only changes that went live in the lookback before the onset count.
 */
export function gatherCandidates(input: GatherInput): Candidate[] {
  const { entity, onsetAt, onsetUncertaintyMs, config } = input;
  const refs = [
    entity.entityRef,
    ...entity.dependsOn.filter(r => r !== entity.entityRef),
  ];
  const wentLive = liveDeploymentTest(config.environments);
  const candidates: Candidate[] = [];
  for (const ref of refs) {
    const mine = input.changes
      .filter(c => c.entityRef === ref)
      .sort((a, b) => liveAtOf(a) - liveAtOf(b) || a.id - b.id);
    const deployments = mine.filter(wentLive);
    const merges = mine.filter(
      c =>
        c.kind === 'pull_request' &&
        (c.status === undefined || c.status === 'merged'),
    );
    const commits = mine.filter(c => c.kind === 'commit');
    const upstream = ref !== entity.entityRef;

    if (deployments.length) {
      // A merge whose sha a deployment names went out with that deployment; the others went
      // out with the first deployment after they were merged.
      const shipped = new Map<number, ChangeEvent[]>(
        deployments.map(d => [d.id, []]),
      );
      // Lookups rather than scans: a busy monorepo has thousands of merges a day.
      const bySha = new Map<string, ChangeEvent>();
      for (const d of deployments)
        if (d.sha && !bySha.has(shortSha(d.sha))) bySha.set(shortSha(d.sha), d);
      const deployedAt = deployments.map(liveAtOf);
      for (const change of [...merges, ...commits]) {
        const next =
          (change.sha ? bySha.get(shortSha(change.sha)) : undefined) ??
          deployments[firstAtOrAfter(deployedAt, liveAtOf(change))];
        if (next) shipped.get(next.id)!.push(change);
      }
      for (const deployment of deployments) {
        candidates.push(
          toCandidate(deployment, shipped.get(deployment.id)!, ref, upstream),
        );
      }
    } else {
      const prShas = new Set(
        merges.map(pr => shortSha(pr.sha)).filter(Boolean),
      );
      for (const pr of merges) {
        const own = commits.filter(c => sameSha(c.sha, pr.sha));
        candidates.push(toCandidate(pr, own, ref, upstream));
      }
      for (const commit of commits) {
        if (!prShas.has(shortSha(commit.sha)))
          candidates.push(toCandidate(commit, [], ref, upstream));
      }
    }
    const deployedShas = new Set(
      deployments.map(d => shortSha(d.sha)).filter(Boolean),
    );
    for (const change of mine) {
      if (
        change.kind === 'release' &&
        !deployedShas.has(shortSha(change.sha))
      ) {
        candidates.push(toCandidate(change, [], ref, upstream));
      }
      if (change.kind === 'change')
        candidates.push(toCandidate(change, [], ref, upstream));
    }
  }
  const latest = onsetAt + onsetUncertaintyMs;
  return candidates.filter(
    c => c.liveAt <= latest && c.liveAt >= onsetAt - config.lookbackMs,
  );
}

function toCandidate(
  change: ChangeEvent,
  includes: ChangeEvent[],
  entityRef: string,
  upstream: boolean,
): Candidate {
  const liveAt = liveAtOf(change);
  const pullRequests = includes.filter(c => c.kind === 'pull_request');
  const pullRequest =
    change.kind === 'pull_request'
      ? change
      : pullRequests[pullRequests.length - 1];
  const files = new Set<string>(change.files);
  for (const c of includes) c.files.forEach(f => files.add(f));
  const shas = [change.sha, ...includes.map(c => c.sha)].filter(
    (s): s is string => !!s,
  );
  return {
    change,
    includes,
    entityRef,
    upstream,
    liveAt,
    liveUntil: liveUntilOf(change),
    files: [...files],
    shas: [...new Set(shas)],
    author:
      pullRequest?.author ??
      includes.find(c => c.author)?.author ??
      change.author,
    pullRequest,
  };
}

/** Index of the first of the sorted times at or after `at` (the length when there is none). */
function firstAtOrAfter(sorted: number[], at: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle] < at) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Shas compared on their first 7 characters, so short and full forms match. */
export function shortSha(sha: string | undefined): string {
  return (sha ?? '').slice(0, 7).toLowerCase();
}

export function sameSha(a: string | undefined, b: string | undefined): boolean {
  return !!a && !!b && shortSha(a) === shortSha(b);
}
