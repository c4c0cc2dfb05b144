import type { HealthInput } from './leaders';

/*
 * The shapes of the Product OS read API (`/api/product-os/entities/:kind/:namespace/:name/...`).
 * Times are ISO 8601 strings in UTC.
 */

/** Where a record came from. @public */
export type SourceId = 'sentry' | 'github' | 'pagerduty' | 'posthog';

/** A time range. @public */
export interface TimeWindow {
  from: string;
  to: string;
}

/** Accepted values of the `window` query parameter. @public */
export const TIME_WINDOWS = ['24h', '7d', '30d', '90d'] as const;
/** @public */
export type TimeWindowName = (typeof TIME_WINDOWS)[number];

/** Accepted values of the `bucket` query parameter. @public */
export const BUCKET_SIZES = ['hour', 'day'] as const;
/** @public */
export type BucketSize = (typeof BUCKET_SIZES)[number];

/** A frame of a stack trace, the part Product OS keeps to match against changed files. @public */
export interface StackFrame {
  filename: string;
  function?: string;
  lineno?: number;
  inApp: boolean;
}

/** @public */
export type ErrorGroupStatus = 'unresolved' | 'resolved' | 'ignored';

/** A group of errors sharing a fingerprint, with its counts over the requested window. @public */
export interface ErrorGroup {
  id: number;
  entityRef: string;
  source: SourceId;
  fingerprint: string;
  title: string;
  culprit?: string;
  level: string;
  status: ErrorGroupStatus;
  firstSeen: string;
  lastSeen: string;
  /** The release the group was first seen in. */
  firstRelease?: string;
  /** In-app frames nearest the top of the stack, most recent call first. */
  topFrames: StackFrame[];
  permalink?: string;
  /** Events in the requested window. */
  count: number;
  /** First seen inside the requested window. */
  isNew: boolean;
  /** Seen again after having been resolved. */
  isRegressed: boolean;
  /** Event counts across the window in equal slices (24 of them), oldest first, for a sparkline. */
  sparkline: number[];
}

/** A point of a bucketed series. @public */
export interface SeriesPoint {
  time: string;
  value: number;
}

/** Error volume over time. @public */
export interface ErrorTrend {
  window: TimeWindow;
  bucket: BucketSize;
  points: SeriesPoint[];
  /** Deployments in the window, to mark on the time axis. */
  deploys: ChangeEvent[];
}

/** @public */
export type ChangeKind =
  | 'commit'
  | 'pull_request'
  | 'deployment'
  | 'release'
  | 'change';

/** A change to what runs: a commit, a merged PR, a deployment, a release, a PagerDuty change event. @public */
export interface ChangeEvent {
  id: number;
  entityRef: string;
  source: SourceId;
  kind: ChangeKind;
  externalId: string;
  title: string;
  author?: string;
  sha?: string;
  /** Pull request number, for kind `pull_request`. */
  number?: number;
  environment?: string;
  /** Deployment status (`success`, `failure`, ...) or PR state (`open`, `merged`, `closed`). */
  status?: string;
  url?: string;
  /** When it happened: commit time, merge time, deployment start, release publication. */
  occurredAt: string;
  /** When a deployment reached a final status. */
  finishedAt?: string;
  files: string[];
}

/** @public */
export type IncidentStatus = 'triggered' | 'acknowledged' | 'resolved';

/** An entry on an incident's timeline. @public */
export interface IncidentTimelineEntry {
  type: string;
  message: string;
  actor?: string;
  occurredAt: string;
}

/** An incident, resolved ones included. @public */
export interface Incident {
  id: number;
  entityRef: string;
  source: SourceId;
  externalId: string;
  title: string;
  urgency?: string;
  priority?: string;
  status: IncidentStatus;
  createdAt: string;
  acknowledgedAt?: string;
  resolvedAt?: string;
  assignees: string[];
  url?: string;
  timeline: IncidentTimelineEntry[];
}

/** A product metric's hourly (or daily) series. @public */
export interface MetricSeries {
  key: string;
  /** Event count per bucket. */
  points: SeriesPoint[];
  /** Distinct users per bucket. */
  users: SeriesPoint[];
  total: number;
  /** Total in the window of the same length just before. */
  previousTotal: number;
}

/** @public */
export type AnomalyKind =
  | 'error_spike'
  | 'new_error_group'
  | 'regression'
  | 'metric_drop'
  | 'incident';

/** How each kind of anomaly reads, in a title or a list, instead of its code. @public */
export const ANOMALY_KIND_LABELS: Record<AnomalyKind, string> = {
  error_spike: 'error spike',
  new_error_group: 'new error',
  regression: 'regressed error',
  metric_drop: 'key metric drop',
  incident: 'incident',
};

/** Something that went wrong, merged from overlapping signals. @public */
export interface Anomaly {
  id: number;
  entityRef: string;
  kinds: AnomalyKind[];
  onsetAt: string;
  detectedAt: string;
  /** How far from the baseline, e.g. 14 for a 14x error rise, -0.4 for a 40% metric drop. */
  magnitude: number;
  score: number;
  status: 'open' | 'closed';
}

/** @public */
export type DiagnosisStatus = 'open' | 'acknowledged' | 'resolved' | 'rejected';

/** @public */
export type Actionability = 'collecting' | 'needs_human' | 'actionable';

/**
 * The buckets of an open diagnosis that waits for a person: a decision (`needs_human`) or a
 * change to undo (`actionable`). Only `collecting` is the agent's own to finish. @public
 */
export const WAITING_FOR_A_PERSON: readonly Actionability[] = [
  'needs_human',
  'actionable',
];

/** A fact the agent relied on, with where to check it. @public */
export interface Evidence {
  id: number;
  suspectId?: number;
  kind: string;
  description: string;
  weight: number;
  url?: string;
  /**
   * The values Product OS computed for this evidence (scores, counts, ISO times, shas, PR
   * numbers), apart from text that came from outside (titles, names) which is only in the
   * description.
   */
  facts?: Record<string, string | number | boolean>;
}

/**
 * Whether the agent names a change: `suspect` when one stands out, `not_enough_evidence` when
 * nothing does (a required answer, not a failure).
 * @public
 */
export type DiagnosisVerdict = 'suspect' | 'not_enough_evidence';

/** What an anomaly cost, as far as Product OS can count it. @public */
export interface DiagnosisImpact {
  /** Error events of the anomaly's error groups since the onset. */
  events?: number;
  /** Distinct users affected per hour, summed over the hours since the onset (an upper bound). */
  affectedUsers?: number;
  /** Key metrics below their baseline since the onset. */
  metrics?: {
    metric: string;
    observed: number;
    expected: number;
    change: number;
  }[];
  /** An incident linked to the anomaly. */
  incident?: {
    id: number;
    title: string;
    status: IncidentStatus;
    url?: string;
  };
}

/** A status change of a diagnosis, kept with the reason given. @public */
export interface DiagnosisFeedback {
  from: DiagnosisStatus;
  to: DiagnosisStatus;
  reason?: string;
  by: string;
  at: string;
}

/** A change the agent suspects, with its rank and the evidence for it. @public */
export interface Suspect {
  id: number;
  rank: number;
  score: number;
  confidence: number;
  change: ChangeEvent;
  evidence: Evidence[];
}

/** The agent's explanation of an anomaly. @public */
export interface Diagnosis {
  id: number;
  entityRef: string;
  anomalyId?: number;
  summary: string;
  confidence: number;
  status: DiagnosisStatus;
  actionability: Actionability;
  nextStep?: string;
  reviewers: string[];
  feedback?: string;
  createdAt: string;
  updatedAt: string;
  suspects: Suspect[];
  evidence: Evidence[];
  /** Whether a suspect stands out; absent on diagnoses written before the agent recorded it. */
  verdict?: DiagnosisVerdict;
  /** The owner of the entity when the diagnosis was written, e.g. `group:default/payments`. */
  owner?: string;
  impact?: DiagnosisImpact;
  /** Status changes, oldest first. */
  history?: DiagnosisFeedback[];
  /**
   * The versions the agent wrote while the diagnosis was open, oldest first: it is rewritten in
   * place as evidence arrives, and each change of what it concludes is kept here.
   */
  revisions?: DiagnosisRevision[];
  /**
   * Set only when the top-ranked suspect is a change of an entity the reader may not see: that
   * suspect is left out of `suspects`, and this keeps its place, so the next one is not read as
   * the likely cause.
   */
  hiddenTopSuspect?: HiddenSuspect;
  /** What became of it, once the agent could tell (see {@link DiagnosisOutcome}). */
  outcome?: DiagnosisOutcome;
}

/** What became of a diagnosis, as the agent watched what happened after it. @public */
export type DiagnosisOutcomeKind = 'verified' | 'refuted' | 'inconclusive';

/**
 * What decided an outcome:
 * - `rolled_back_and_stopped`: the top suspect was rolled back or reverted and the trouble stopped
 *   within hours of it (verified for a named suspect; refuted for "not enough evidence", since
 *   the change ranked first was the cause after all);
 * - `rejected`: a person rejected the diagnosis (with their reason);
 * - `stopped_before_fix`: the trouble had stopped before the rollback or revert;
 * - `fix_did_not_stop`: the rollback or revert went live and the trouble went on;
 * - `stopped_without_change`: the trouble stopped with no change going live meanwhile (refutes a
 *   named suspect, verifies "not enough evidence");
 * - `stopped_after_other_change`: it stopped after a change that does not undo the suspect;
 * - `deadline`: none of that within the days the agent watches.
 * @public
 */
export type DiagnosisOutcomeBasis =
  | 'rolled_back_and_stopped'
  | 'rejected'
  | 'stopped_before_fix'
  | 'fix_did_not_stop'
  | 'stopped_without_change'
  | 'stopped_after_other_change'
  | 'deadline';

/** The outcome of a diagnosis with the evidence for it. @public */
export interface DiagnosisOutcome {
  outcome: DiagnosisOutcomeKind;
  basis: DiagnosisOutcomeBasis;
  /** Plain words, from times and numbers only, e.g. "The suspect was rolled back at 11:25 UTC, …". */
  description: string;
  decidedAt: string;
  /** The top suspect change the outcome is about. */
  suspectChangeId?: number;
  /** The deployment or revert that undid the suspect, and when it went live. */
  fix?: {
    changeId: number;
    entityRef: string;
    at: string;
    title: string;
    url?: string;
  };
  /** When the trouble stopped. */
  stoppedAt?: string;
  /** The rejection's reason and who gave it. */
  reason?: string;
  decidedBy?: string;
}

/** A suspect left out for the reader, of which only its place and confidence are told. @public */
export interface HiddenSuspect {
  rank: number;
  confidence: number;
}

/** One version of a diagnosis: when the agent wrote it and what it concluded. @public */
export interface DiagnosisRevision {
  at: string;
  verdict: DiagnosisVerdict;
  actionability: Actionability;
  confidence: number;
  /** The top suspect then, when there was one. */
  change?: { id: number; entityRef: string; title: string };
}

/** The headline numbers of an entity. @public */
export interface EntityOverview {
  entityRef: string;
  window: TimeWindow;
  errors: {
    /** Events in the window. */
    events: number;
    /** Events in the window of the same length just before. */
    previousEvents: number;
    groups: number;
    newGroups: number;
  };
  incidents: { open: number; total: number };
  deploys: number;
  diagnoses: { open: number };
  latestDiagnosis?: Diagnosis;
}

/** @public */
export type TimelineItemType =
  | 'deployment'
  | 'pull_request'
  | 'release'
  | 'commit'
  | 'change'
  | 'incident'
  | 'error_group'
  | 'anomaly'
  | 'diagnosis';

/** One item on the case-file timeline. @public */
export interface TimelineItem {
  type: TimelineItemType;
  /** The id of the record in its own list (change, incident, error group, diagnosis). */
  id: number;
  time: string;
  title: string;
  url?: string;
}

/** A list response. @public */
export interface ListResponse<T> {
  items: T[];
}

/**
 * The leaders' page's rows (`GET /health`), with the margin they rank by: the page ranks them
 * with {@link rankByHealth} and this margin, as the roll-ups rank their members. @public
 */
export interface HealthList extends ListResponse<EntityHealth> {
  /** `productOs.health.tieMargin`: scores closer than this share a place. */
  tieMargin: number;
}

/** One row of the leaders' page: an entity's health in the requested window. @public */
export interface EntityHealth {
  entityRef: string;
  title?: string;
  kind: string;
  /** Owner entity ref, e.g. `group:default/payments`. */
  owner?: string;
  /** System entity ref. */
  system?: string;
  lifecycle?: string;
  errors: {
    /** Events in the window. */
    events: number;
    /** Events in the window of the same length just before. */
    previousEvents: number;
  };
  openIncidents: number;
  /** Open diagnoses that wait for a person (see {@link WAITING_FOR_A_PERSON}). */
  diagnosesNeedingHuman: number;
  /** 0 to 100, higher is healthier. */
  score: number;
  /** Every input of the score with its value and the points it took off (see the backend README). */
  inputs?: HealthInput[];
}

/** Actions a diagnosis can trigger in an outside system. @public */
export type DiagnosisActionId = 'github-issue' | 'pr-comment';

/** What an action would write, shown to the user before they confirm it. @public */
export interface ActionPreview {
  action: DiagnosisActionId;
  /** Where it would write, e.g. `acme/checkout` or `acme/checkout#512`. */
  target: string;
  title?: string;
  body: string;
  /** False when the action cannot run (actions disabled, no permission, no target). */
  enabled: boolean;
  /** Why the action cannot run, when `enabled` is false. */
  disabledReason?: string;
  /**
   * A digest of exactly this title, body and target. Running the action requires it, and it only
   * matches while the preview would still be the same, so the user confirms exactly what is written.
   * The backend always sends it (optional only so older clients still type-check); pass it to
   * `POST /diagnoses/:id/actions/:action/run` with `confirm: true`.
   */
  previewToken?: string;
}

/** The outcome of running an action. @public */
export interface ActionResult {
  /** The issue or comment that was created. */
  url: string;
}

/** Configuration the backend exposes to the frontend (`GET /config`). @public */
export interface ProductOsFrontendConfig {
  actionsEnabled: boolean;
}
