/*
 * What engineering leaders read: DORA figures, the health score with its inputs, and roll-ups of
 * teams, systems and domains with their daily history. The backend README documents how each
 * figure is computed.
 */

/** A DORA performance band (DORA 2024 clusters). @public */
export type DoraBand = 'elite' | 'high' | 'medium' | 'low';

/** The DORA figures of one window. Times are milliseconds; `null` when nothing was measured. @public */
export interface DoraFigures {
  /** Successful production deployments that finished in the window. */
  deployments: number;
  /** Distinct UTC days with at least one of them. */
  deploymentDays: number;
  /** Deployment days per week: `deploymentDays / (window days / 7)`. */
  deploymentFrequency: number;
  /** Lower median from a change's first commit to the deployment that shipped it. */
  leadTimeMs: number | null;
  /** Changes (commits, or merged pull requests without their commits) the deployments shipped. */
  changes: number;
  /** Deployments followed by an incident or named by a diagnosis. */
  failedDeployments: number;
  /** `failedDeployments / deployments`, a fraction from 0 to 1. */
  changeFailureRate: number | null;
  /** Lower median from a failed deployment to the resolution of its incident. */
  recoveryTimeMs: number | null;
  /** Resolved incidents the recovery time is the median of. */
  recoveries: number;
  /** Deployments that roll back to an earlier deployment's commit or ship a revert. */
  reworkDeployments: number;
  /** `reworkDeployments / deployments`. */
  reworkRate: number | null;
}

/** The bands of a window's figures; `null` where the figure has no data. @public */
export interface DoraBands {
  deploymentFrequency: DoraBand | null;
  leadTime: DoraBand | null;
  changeFailureRate: DoraBand | null;
  recoveryTime: DoraBand | null;
  /** The lowest of the four bands that have data. */
  overall: DoraBand | null;
}

/** A window of 7, 30 or 90 days ending at `to`, with the period of the same length before it. @public */
export interface DoraWindow {
  days: number;
  /** ISO time the window starts (inclusive). */
  from: string;
  /** ISO time the window ends (exclusive). */
  to: string;
  current: DoraFigures;
  previous: DoraFigures;
  bands: DoraBands;
}

/** DORA of an entity or a set of entities. @public */
export interface DoraReport {
  /** The entity, group, system or domain the figures are of. */
  subjectRef: string;
  windows: DoraWindow[];
}

/** The inputs of the health score. @public */
export type HealthInputName =
  | 'openIncidents'
  | 'diagnosesNeedingHuman'
  | 'openDiagnoses'
  | 'errorGrowth'
  | 'errorVolume'
  | 'newErrorGroups'
  | 'regressedErrorGroups'
  | 'keyMetricDrop'
  | 'mttr'
  | 'changeFailureRate';

/** One input of a health score: its value, and the points it took off 100. @public */
export interface HealthInput {
  name: HealthInputName;
  /** The measured value, in `unit`. */
  value: number;
  unit: string;
  /** Points taken off the score, 0 or more (the score is 100 less their sum). */
  penalty: number;
}

/** A roll-up member: a service of the team, system or domain with its health. @public */
export interface RollupMember {
  entityRef: string;
  title?: string;
  kind: string;
  owner?: string;
  system?: string;
  score: number;
  /**
   * 1 is the least healthy (needs attention first); members are listed in this order. Members
   * whose scores are less than `tieMargin` above the first of their tie, with the same open
   * incidents and diagnoses waiting for a person, share a rank (see {@link rankByHealth}).
   */
  rank: number;
  inputs: HealthInput[];
  /** Incidents open at the end of the 7 days (the `openIncidents` input's value). */
  openIncidents: number;
  /** Open diagnoses waiting for a person (the `diagnosesNeedingHuman` input's value). */
  diagnosesNeedingHuman: number;
  /** Production deployments that finished in the 7 days the score covers. */
  deployments: number;
  /** Incidents created in the 7 days the score covers, resolved or not. */
  incidents: number;
}

/** A day of a subject's history. @public */
export interface HealthDay {
  /** ISO date-time of the UTC day's start. */
  day: string;
  /** The health score at the end of the day; a roll-up's is its members' mean. */
  score: number;
  inputs: HealthInput[];
  /** The DORA windows as of the end of the day. */
  dora: DoraWindow[];
}

/** A team, system or domain: its services ranked by health, DORA, what is open, and its history. @public */
export interface Rollup {
  subjectRef: string;
  kind: 'group' | 'system' | 'domain';
  /** The groups whose services count: the group and all its sub-groups (a group only). */
  groups?: string[];
  /** Score difference below which two members tie (`productOs.health.tieMargin`). */
  tieMargin: number;
  /** Mean of the members' scores; `null` with no members. Members are listed worst first. */
  score: number | null;
  members: RollupMember[];
  dora: DoraReport;
  openDiagnoses: number;
  diagnosesNeedingHuman: number;
  openIncidents: number;
  /**
   * ISO time the figures (score, members, DORA, what is open) are as of: the snapshot task's
   * latest run of today when they are read from it, the time of the request when they were
   * computed for it; the oldest of these when the members' figures come from both.
   */
  asOf: string;
  /** Daily history, oldest first, up to 90 days. */
  history: HealthDay[];
}
