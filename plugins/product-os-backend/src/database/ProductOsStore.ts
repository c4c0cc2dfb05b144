import type {
  Actionability,
  Anomaly,
  AnomalyKind,
  ChangeEvent,
  ChangeKind,
  Diagnosis,
  DiagnosisImpact,
  DiagnosisStatus,
  DiagnosisVerdict,
  ErrorGroup,
  ErrorGroupStatus,
  Incident,
  MetricSeries,
  SeriesPoint,
  SourceId,
  StackFrame,
} from '@internal/plugin-product-os-common';
import type { ProductOsIngestStore } from '@internal/plugin-product-os-node';

/** A time range in epoch milliseconds, `from` inclusive and `to` exclusive. */
export interface TimeRange {
  from: number;
  to: number;
}

/** A range cut into equal buckets (an hour or a day, in ms). */
export interface BucketedRange extends TimeRange {
  bucketMs: number;
}

export interface ChangeQuery extends TimeRange {
  kinds?: ChangeKind[];
  limit?: number;
}

export interface DiagnosisQuery {
  entityRefs?: string[];
  statuses?: DiagnosisStatus[];
  actionability?: Actionability[];
  /** Owner entity refs recorded on the diagnoses, e.g. `group:default/payments`. */
  owners?: string[];
  anomalyId?: number;
  limit?: number;
}

export interface AnomalyInput {
  entityRef: string;
  kinds: AnomalyKind[];
  onsetAt: number;
  detectedAt: number;
  magnitude: number;
  score: number;
  details?: Record<string, unknown>;
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

/** An error group as the agent reads it, times in epoch ms. */
export interface ErrorGroupRecord {
  id: number;
  entityRef: string;
  source: SourceId;
  fingerprint: string;
  title: string;
  culprit?: string;
  level: string;
  status: ErrorGroupStatus;
  firstSeen: number;
  lastSeen: number;
  firstRelease?: string;
  resolvedAt?: number;
  regressedAt?: number;
  topFrames: StackFrame[];
  permalink?: string;
  eventCount: number;
}

/** Events of one error group in one hour. */
export interface ErrorBucketRecord {
  groupId: number;
  bucketStart: number;
  count: number;
  users: number;
}

/** A raw event kept in a group's bounded sample. */
export interface ErrorSampleRecord {
  groupId: number;
  timestamp: number;
  release?: string;
}

/** A metric's count in one hour. */
export interface MetricPointRecord {
  metric: string;
  bucketStart: number;
  count: number;
  users: number;
}

/** An anomaly as the agent reads it, times in epoch ms, with the signals it merged. */
export interface AnomalyRecord {
  id: number;
  entityRef: string;
  kinds: AnomalyKind[];
  onsetAt: number;
  detectedAt: number;
  updatedAt: number;
  magnitude: number;
  score: number;
  status: 'open' | 'closed';
  details: Record<string, unknown>;
}

/** What recording an anomaly did. */
export interface RecordAnomalyResult {
  anomaly: AnomalyRecord;
  /**
   * `created`: a new anomaly; `merged`: an open one with a nearby onset took the new signals and
   * changed; `unchanged`: it took them and did not change; `closed`: a nearby anomaly was
   * already closed, so nothing was written.
   */
  outcome: 'created' | 'merged' | 'unchanged' | 'closed';
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

export interface AuditEntryInput {
  at: number;
  actor: string;
  action: string;
  target: string;
  diagnosisId?: number;
  request: unknown;
  /** `pending` from the claim of a write until its outcome is known. */
  outcome: 'pending' | 'succeeded' | 'failed';
  result?: unknown;
}

/** The claim of a preview's single write, or the entry that already holds it. */
export type AuditClaim =
  | { claimed: true; id: number }
  | { claimed: false; existing: AuditEntry };

export interface AuditEntry extends Omit<AuditEntryInput, 'at'> {
  id: number;
  at: string;
}

export interface UnmappedDelivery {
  source: string;
  key: string;
  count: number;
  firstSeen: string;
  lastSeen: string;
}

export interface RetentionPolicy {
  /** Raw samples (events, user keys, delivery ids) older than this are removed. */
  rawMaxAgeMs: number;
  /** Hourly buckets and metric points older than this are removed. */
  aggregateMaxAgeMs: number;
}

export interface RetentionResult {
  rawRowsDeleted: number;
  aggregateRowsDeleted: number;
}

/** Everything Product OS keeps, keyed by catalog entity. */
export interface ProductOsStore extends ProductOsIngestStore {
  getErrorGroups(
    entityRef: string,
    range: TimeRange & { limit?: number },
  ): Promise<ErrorGroup[]>;
  /** Error events per bucket across the entity's groups; empty buckets are zero. */
  getErrorSeries(
    entityRef: string,
    range: BucketedRange,
  ): Promise<SeriesPoint[]>;
  getChangeEvents(
    entityRef: string,
    query: ChangeQuery,
  ): Promise<ChangeEvent[]>;
  getChangeEventsForEntities(
    entityRefs: string[],
    query: ChangeQuery,
  ): Promise<ChangeEvent[]>;
  getIncidents(entityRef: string, range: TimeRange): Promise<Incident[]>;
  getMetricSeries(
    entityRef: string,
    range: BucketedRange,
  ): Promise<MetricSeries[]>;

  createAnomaly(anomaly: AnomalyInput): Promise<Anomaly>;
  getAnomalies(entityRef: string, range: TimeRange): Promise<Anomaly[]>;
  closeAnomaly(id: number): Promise<void>;

  /* Reads and writes of the diagnosis agent. */

  /** Entities with errors, metric points or incidents since `since`. */
  listActiveEntities(since: number): Promise<string[]>;
  /** The entity's error groups seen since `lastSeenFrom`, or those with the given ids. */
  getErrorGroupRecords(
    entityRef: string,
    filter: { lastSeenFrom?: number; ids?: number[] },
  ): Promise<ErrorGroupRecord[]>;
  /** Hourly counts per error group of the entity, bucket starts in the range. */
  getErrorBuckets(
    entityRef: string,
    range: TimeRange,
  ): Promise<ErrorBucketRecord[]>;
  /** Sampled raw events of the groups in the range, oldest first. */
  getErrorSamples(
    groupIds: number[],
    range: TimeRange,
  ): Promise<ErrorSampleRecord[]>;
  /** Hourly points of the entity's metrics (all of them when `metrics` is omitted). */
  getMetricPoints(
    entityRef: string,
    range: TimeRange,
    metrics?: string[],
  ): Promise<MetricPointRecord[]>;
  getAnomalyRecord(id: number): Promise<AnomalyRecord | undefined>;
  getOpenAnomalies(entityRef: string): Promise<AnomalyRecord[]>;
  /**
   * Records an anomaly unless one of the entity's anomalies has an onset within
   * `mergeWindowMs`, or is open, began before it and was last seen no more than `mergeWindowMs`
   * before its onset: an open one is updated with `merge(existing, incoming)`, a closed one is
   * left alone. Runs in one transaction that first locks the entity's agent row, so two backend
   * instances cannot both insert the same anomaly.
   */
  recordAnomaly(
    anomaly: AnomalyInput,
    options: {
      mergeWindowMs: number;
      merge: (existing: AnomalyRecord, incoming: AnomalyInput) => AnomalyInput;
    },
  ): Promise<RecordAnomalyResult>;
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

  createDiagnosis(diagnosis: DiagnosisInput): Promise<Diagnosis>;
  getDiagnosis(id: number): Promise<Diagnosis | undefined>;
  listDiagnoses(query: DiagnosisQuery): Promise<Diagnosis[]>;
  updateDiagnosisStatus(
    id: number,
    update: {
      status: DiagnosisStatus;
      feedback?: string;
      by: string;
      at: number;
    },
  ): Promise<Diagnosis | undefined>;

  appendAudit(entry: AuditEntryInput): Promise<AuditEntry>;
  /**
   * Claims the single write of a confirmed preview: records a `pending` audit entry holding
   * `previewToken`, unless an entry already holds it (the database enforces one per token, so
   * two instances racing cannot both claim it).
   */
  claimAuditedWrite(
    entry: Omit<AuditEntryInput, 'outcome' | 'result'> & {
      previewToken: string;
    },
  ): Promise<AuditClaim>;
  /**
   * Records the outcome of a claimed write. A failed write gives the token back (the entry
   * stays, without the claim), so the same preview can be tried again; a written one keeps it.
   */
  settleAuditedWrite(
    id: number,
    settled: { at: number; outcome: 'succeeded' | 'failed'; result?: unknown },
  ): Promise<void>;
  /** The parts of the diagnoses' text, for those that have them. */
  getRedactableTexts(ids: number[]): Promise<Map<number, RedactableText>>;
  listAudit(limit: number): Promise<AuditEntry[]>;
  /** A page of the unmapped keys, most recently seen first (default: the first 100). */
  listUnmapped(page?: {
    limit: number;
    offset: number;
  }): Promise<UnmappedDelivery[]>;
  /** How many unmapped keys there are, over every page. */
  countUnmapped(): Promise<number>;

  /** Prunes what has aged out; aggregates inside the aggregate window are never touched. */
  prune(now: number, policy: RetentionPolicy): Promise<RetentionResult>;
}
