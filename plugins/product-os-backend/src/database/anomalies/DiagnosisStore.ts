import type {
  Actionability,
  Diagnosis,
  DiagnosisImpact,
  DiagnosisStatus,
  DiagnosisVerdict,
} from '@internal/plugin-product-os-common';

export interface DiagnosisQuery {
  entityRefs?: string[];
  statuses?: DiagnosisStatus[];
  actionability?: Actionability[];
  /** Owner entity refs recorded on the diagnoses, e.g. `group:default/payments`. */
  owners?: string[];
  anomalyId?: number;
  limit?: number;
}

export interface EvidenceInput {
  kind: string;
  description: string;
  weight: number;
  url?: string;
  /** Values Product OS computed (scores, counts, times, shas), apart from outside text. */
  facts?: Record<string, string | number | boolean>;
}

export interface SuspectInput {
  changeEventId: number;
  score: number;
  confidence: number;
  evidence: EvidenceInput[];
}

export interface DiagnosisInput {
  entityRef: string;
  anomalyId?: number;
  summary: string;
  confidence: number;
  actionability: Actionability;
  nextStep?: string;
  reviewers: string[];
  impact?: DiagnosisImpact;
  /** Owner entity ref of the diagnosed entity. */
  owner?: string;
  verdict?: DiagnosisVerdict;
  /** `agent` for the agent's own runs, or the user ref who asked for a re-run. */
  createdBy?: string;
  createdAt: number;
  /** Ranked best first. */
  suspects: SuspectInput[];
  /** Evidence about the anomaly itself rather than one suspect. */
  evidence: EvidenceInput[];
  /** The summary, next step and reviewers as parts, for readers who may not see every entity. */
  redactable?: RedactableText;
}

/**
 * A piece of a diagnosis' text. One that tells about another entity (a dependency's change, its
 * name) carries that entity's ref and what to say instead to a reader who may not see it.
 */
export interface TextPart {
  text: string;
  entityRef?: string;
  /** Said instead of `text` when `entityRef` is hidden from the reader; nothing when absent. */
  hidden?: string;
}

/** The deterministic text of a diagnosis, in parts that can be rendered without an entity. */
export interface RedactableText {
  summary: TextPart[];
  nextStep?: TextPart[];
  /** Reviewers, each with the entity it was picked for when that is not the diagnosed one. */
  reviewers?: { ref: string; entityRef?: string }[];
}

/** What saving the agent's diagnosis of an anomaly did. */
export interface SaveDiagnosisResult {
  diagnosis: Diagnosis;
  /** `kept`: the anomaly's diagnosis is no longer open (a person acted on it), so it stands. */
  outcome: 'created' | 'updated' | 'kept';
}

/** A requested status change, applied only from one of the `from` statuses. */
export interface DiagnosisTransition {
  to: DiagnosisStatus;
  from: DiagnosisStatus[];
  reason?: string;
  by: string;
  at: number;
}

/** The diagnoses of anomalies, their suspects and evidence, and the reviews that moved them. */
export interface DiagnosisStore {
  /** Creates a diagnosis that is not the agent's latest of an anomaly (a re-run someone asked for). */
  createDiagnosis(diagnosis: DiagnosisInput): Promise<Diagnosis>;
  getDiagnosis(id: number): Promise<Diagnosis | undefined>;
  listDiagnoses(query: DiagnosisQuery): Promise<Diagnosis[]>;
  /**
   * Saves the agent's diagnosis of an anomaly: creates it, replaces the contents of the
   * anomaly's latest diagnosis while that is open, or keeps one a person already acted on.
   */
  saveAgentDiagnosis(
    diagnosis: DiagnosisInput & { anomalyId: number },
  ): Promise<SaveDiagnosisResult>;
  /**
   * Changes a diagnosis' status if it is in one of `transition.from`, keeping the reason in its
   * history. `conflict` carries the diagnosis as it is.
   */
  transitionDiagnosis(
    id: number,
    transition: DiagnosisTransition,
  ): Promise<
    | { outcome: 'updated'; diagnosis: Diagnosis }
    | { outcome: 'conflict'; diagnosis: Diagnosis }
    | { outcome: 'missing' }
  >;
  /** The parts of the diagnoses' text, for those that have them. */
  getRedactableTexts(ids: number[]): Promise<Map<number, RedactableText>>;
}
