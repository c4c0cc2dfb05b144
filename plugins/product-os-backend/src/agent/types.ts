import type {
  AnomalyKind,
  ChangeEvent,
  IncidentStatus,
} from '@internal/plugin-product-os-common';

/**
 * One detector's finding about an entity. The true onset lies in
 * `[onsetAt, onsetAt + onsetUncertaintyMs]`: an error spike seen in hourly buckets is known to
 * the hour, a new error group to the millisecond.
 */
export interface Signal {
  kind: AnomalyKind;
  onsetAt: number;
  onsetUncertaintyMs: number;
  /** Ratio to the baseline for errors (14 = 14x), the relative change for metrics (-0.4). */
  magnitude: number;
  /** 0 to 1: how sure the detector is that this is not noise. */
  score: number;
  /** Plain-language, built from numbers only, e.g. "errors rose 14x (140 an hour, usually 10)". */
  description: string;
  /** For an error spike: of the entity's errors as a whole, or of one error group. */
  scope?: 'entity' | 'group';
  /** Error groups behind the signal with their events above baseline since the onset. */
  groups?: SignalGroup[];
  metric?: SignalMetric;
  incident?: SignalIncident;
  /** For a heartbeat drop: the deployment in whose first hour the key metric fell. */
  afterDeployment?: SignalDeployment;
  /** A link to check the signal, e.g. the error group's or incident's page. */
  url?: string;
}

export interface SignalGroup {
  id: number;
  /** Events above the group's baseline since the onset (all of them for a new group). */
  excess: number;
}

export interface SignalMetric {
  key: string;
  /** Events since the onset. */
  observed: number;
  /** What the baseline expected over the same hours. */
  expected: number;
}

export interface SignalDeployment {
  changeId: number;
  sha?: string;
  /** When it had gone live everywhere (its finish). */
  liveUntil: number;
}

export interface SignalIncident {
  id: number;
  title: string;
  status: IncidentStatus;
  url?: string;
}

/** What an anomaly keeps in its `details`: the signals it merged. */
export interface AnomalyDetails {
  signals: Signal[];
  onsetUncertaintyMs: number;
}

/** What the agent knows about an entity from the catalog. */
export interface EntityContext {
  entityRef: string;
  /** A short display name, e.g. `checkout-api`. */
  name: string;
  /** Owner entity ref, e.g. `group:default/team-checkout`. */
  owner?: string;
  /** Entities this one depends on (catalog `dependsOn`, one hop). */
  dependsOn: string[];
  /** Product-analytics events to watch (annotation `product-os.io/key-metrics`). */
  keyMetrics: string[];
}

/** Looks entities up in the catalog for the agent. */
export interface EntityContextProvider {
  get(entityRef: string): Promise<EntityContext>;
}

/**
 * A change that could have caused an anomaly, as it went live: a deployment with the pull
 * requests and commits it shipped, or a merged pull request, commit, release or change event
 * when the entity reports no deployments.
 */
export interface Candidate {
  /** The change the suspect is recorded as (the deployment when there is one). */
  change: ChangeEvent;
  /** Pull requests and commits that went live with it. */
  includes: ChangeEvent[];
  entityRef: string;
  /** Whether it is a change of a dependency rather than of the anomalous entity. */
  upstream: boolean;
  /** When it started to reach users (deployment start, merge, publication). */
  liveAt: number;
  /** When it had reached all of them (deployment finished); equals `liveAt` otherwise. */
  liveUntil: number;
  files: string[];
  /** Shas that identify it: the deployment's, the pull request merge's, the commits'. */
  shas: string[];
  author?: string;
  /** The pull request it shipped that best explains the anomaly, or its only one. */
  pullRequest?: ChangeEvent;
}

/** The names of the explainable features a suspect is ranked by. */
export type FeatureName =
  | 'timing'
  | 'code_overlap'
  | 'release_match'
  | 'novelty'
  | 'size';

/** One feature's value for one candidate, with the words and numbers that explain it. */
export interface FeatureValue {
  name: FeatureName;
  /** 0 to 1. */
  value: number;
  description: string;
  facts: Record<string, string | number | boolean>;
  url?: string;
}

/** A candidate with its features, score and calibrated confidence. */
export interface RankedSuspect {
  candidate: Candidate;
  features: FeatureValue[];
  /** Weighted sum of the features and priors. */
  score: number;
  /** Calibrated probability that this change caused the anomaly. */
  confidence: number;
}
