/** What DORA is computed from, as read from the stores (`loadDoraRows`). Times are epoch ms. */

/** A successful production deployment. */
export interface DoraDeployment {
  /** The change event's id, which diagnosis suspects point at. */
  id: number;
  entityRef: string;
  sha?: string;
  /** When it started (`occurred_at`). */
  startedAt: number;
  /** When it finished (`finished_at`, else `occurred_at`): the time DevLake counts a deployment at. */
  deployedAt: number;
}

/** A change that a deployment can ship: a commit, or a merged pull request. */
export interface DoraChange {
  id: number;
  entityRef: string;
  kind: 'commit' | 'pull_request';
  sha?: string;
  title: string;
  /** The commit's time; a merged pull request's merge time. */
  at: number;
  /** A merged pull request's first commit, when its source reported it. */
  firstCommitAt?: number;
}

export interface DoraIncident {
  entityRef: string;
  createdAt: number;
  resolvedAt?: number;
}

/** A change a diagnosis (not rejected) names as a suspect, and when the diagnosis was made. */
export interface DoraSuspect {
  changeEventId: number;
  diagnosedAt: number;
}

export interface DoraRows {
  deployments: DoraDeployment[];
  changes: DoraChange[];
  incidents: DoraIncident[];
  suspects: DoraSuspect[];
}
