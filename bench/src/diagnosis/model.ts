import type { StackFrame } from '@internal/plugin-product-os-common';
import type {
  ChangeEventInput,
  ErrorGroupStatusInput,
  IncidentInput,
  IncidentTimelineInput,
  MetricPointInput,
} from '@internal/plugin-product-os-node';
import type { EntityContext } from '@internal/plugin-product-os-backend/src/agent/types';

/** What a scenario should produce, known because the generator caused it. */
export type Expectation =
  | {
      type: 'culprit';
      /** `externalId` of the change that caused the anomaly. */
      culprit: string;
      onsetAt: number;
    }
  | { type: 'no_culprit'; onsetAt: number }
  | { type: 'quiet' };

/** An error group of the simulated service and how often it fires. */
export interface GroupSpec {
  entityRef: string;
  fingerprint: string;
  title: string;
  culprit: string;
  frames: StackFrame[];
  /** Repository paths of the in-app frames, most recent call first. */
  files: string[];
  /** Events an hour at the daily peak. */
  peakRate: number;
  /** When the group exists (first possible event) and stops, if it does. */
  start: number;
  end?: number;
  /** Multipliers of the rate over time ranges (spikes, bursts). */
  effects: { from: number; to: number; factor: number }[];
  /**
   * The release its events report when only part of the fleet throws it (the canary of a
   * rollout, a host a rollout missed); otherwise the release serving the entity at the time.
   */
  release?: string;
}

/** Something written to the store at a time, as a source module would. */
export type Delivery =
  | { at: number; type: 'change'; change: ChangeEventInput }
  | { at: number; type: 'metric'; point: MetricPointInput }
  | {
      at: number;
      type: 'incident';
      incident: IncidentInput;
      timeline: IncidentTimelineInput[];
    }
  | { at: number; type: 'status'; status: ErrorGroupStatusInput };

/** A labelled timeline. */
export interface Scenario {
  id: string;
  family: string;
  seed: number;
  description: string;
  /** The entity whose anomaly is labelled (first) and its dependencies. */
  entities: EntityContext[];
  groups: GroupSpec[];
  deliveries: Delivery[];
  /** Which production deployment (sha) serves each entity from when, for event releases. */
  releases: Map<string, { at: number; sha: string }[]>;
  /** Entities whose errors Product OS receives (a dependency may not report any). */
  reportsErrors: Set<string>;
  /** Daily traffic shape and noise of the error rates, per entity. */
  traffic: Map<string, { dayFactors: number[] }>;
  start: number;
  /** The agent runs from `evaluateFrom` to `evaluateTo` every `stepMs`. */
  evaluateFrom: number;
  evaluateTo: number;
  stepMs: number;
  expected: Expectation;
}
