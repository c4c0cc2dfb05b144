import type {
  Actionability,
  Anomaly,
  AnomalyKind,
  ChangeEvent,
  ChangeKind,
  Diagnosis,
  DiagnosisStatus,
  ErrorGroup,
  Incident,
  MetricSeries,
  SeriesPoint,
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
  impact?: Record<string, unknown>;
  createdAt: number;
  /** Ranked best first. */
  suspects: SuspectInput[];
  /** Evidence about the anomaly itself rather than one suspect. */
  evidence: EvidenceInput[];
}

export interface AuditEntryInput {
  at: number;
  actor: string;
  action: string;
  target: string;
  diagnosisId?: number;
  request: unknown;
  outcome: 'succeeded' | 'failed';
  result?: unknown;
}

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
  getErrorSeries(entityRef: string, range: BucketedRange): Promise<SeriesPoint[]>;
  getChangeEvents(entityRef: string, query: ChangeQuery): Promise<ChangeEvent[]>;
  getChangeEventsForEntities(
    entityRefs: string[],
    query: ChangeQuery,
  ): Promise<ChangeEvent[]>;
  getIncidents(entityRef: string, range: TimeRange): Promise<Incident[]>;
  getMetricSeries(entityRef: string, range: BucketedRange): Promise<MetricSeries[]>;

  createAnomaly(anomaly: AnomalyInput): Promise<Anomaly>;
  getAnomalies(entityRef: string, range: TimeRange): Promise<Anomaly[]>;
  closeAnomaly(id: number): Promise<void>;

  createDiagnosis(diagnosis: DiagnosisInput): Promise<Diagnosis>;
  getDiagnosis(id: number): Promise<Diagnosis | undefined>;
  listDiagnoses(query: DiagnosisQuery): Promise<Diagnosis[]>;
  updateDiagnosisStatus(
    id: number,
    update: { status: DiagnosisStatus; feedback?: string; by: string; at: number },
  ): Promise<Diagnosis | undefined>;

  appendAudit(entry: AuditEntryInput): Promise<AuditEntry>;
  listAudit(limit: number): Promise<AuditEntry[]>;
  listUnmapped(): Promise<UnmappedDelivery[]>;

  /** Prunes what has aged out; aggregates inside the aggregate window are never touched. */
  prune(now: number, policy: RetentionPolicy): Promise<RetentionResult>;
}
