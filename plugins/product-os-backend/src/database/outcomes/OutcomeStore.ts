import type {
  DiagnosisOutcomeBasis,
  DiagnosisOutcomeKind,
} from '@internal/plugin-product-os-common';

/** An outcome as the agent decides it. Times are epoch ms. */
export interface OutcomeInput {
  diagnosisId: number;
  outcome: DiagnosisOutcomeKind;
  basis: DiagnosisOutcomeBasis;
  description: string;
  suspectChangeId?: number;
  fixChangeId?: number;
  fixAt?: number;
  stoppedAt?: number;
  reason?: string;
  decidedBy?: string;
  /** The top suspect's confidence as the built-in calibration gave it. */
  confidence: number;
  /** Whether the top suspect was the cause; absent when the outcome does not tell. */
  suspectWasCause?: boolean;
  decidedAt: number;
}

/** One top suspect whose outcome tells whether it was the cause. */
export interface LabelledConfidence {
  confidence: number;
  suspectWasCause: boolean;
}

/** The outcomes of diagnoses, written once each (`diagnosis_outcomes`). */
export interface OutcomeStore {
  /** Ids of diagnoses of anomalies that have no outcome yet, oldest first. */
  listUndecided(limit: number): Promise<number[]>;
  /**
   * Records the outcome unless the diagnosis has one: another backend instance may have
   * decided it first, and its outcome stands.
   */
  recordOutcome(outcome: OutcomeInput): Promise<'recorded' | 'exists'>;
  /** The newest `limit` outcomes that say whether the top suspect was the cause. */
  labelledConfidences(limit: number): Promise<LabelledConfidence[]>;
}
