import type {
  Anomaly,
  ChangeEvent,
  Diagnosis,
  DiagnosisOutcome,
  Evidence,
} from '@internal/plugin-product-os-common';
import { iso, num, opt, optIso, optNum, parseJson, Row } from '../rowValues';
import type { AnomalyRecord } from './AnomalyStore';

export function toAnomalyRecord(row: Row): AnomalyRecord {
  return {
    id: num(row.id),
    entityRef: row.entity_ref,
    kinds: parseJson(row.kinds, []),
    onsetAt: num(row.onset_at),
    detectedAt: num(row.detected_at),
    updatedAt: num(row.updated_at ?? row.detected_at),
    magnitude: num(row.magnitude),
    score: num(row.score),
    status: row.status,
    details: parseJson(row.details, {}),
  };
}

/** An anomaly as the read API shows it. */
export function toAnomaly(anomaly: AnomalyRecord): Anomaly {
  return {
    id: anomaly.id,
    entityRef: anomaly.entityRef,
    kinds: anomaly.kinds,
    onsetAt: iso(anomaly.onsetAt),
    detectedAt: iso(anomaly.detectedAt),
    magnitude: anomaly.magnitude,
    score: anomaly.score,
    status: anomaly.status,
  };
}

export function toEvidence(row: Row): Evidence {
  return {
    id: num(row.id),
    suspectId: optNum(row.suspect_id),
    kind: row.kind,
    description: row.description,
    weight: num(row.weight),
    url: opt(row.url),
    facts: parseJson(row.facts, {}),
  };
}

/** A `diagnoses` row with the rows that hang off it, each list already ordered. */
export function toDiagnosis(
  row: Row,
  parts: {
    /** `diagnosis_suspects` rows joined to their change (`toChange` reads those columns). */
    suspects: Row[];
    toChange: (row: Row) => ChangeEvent;
    evidence: Evidence[];
    history: Row[];
    /** `diagnosis_revisions` rows, left-joined to their change's entity and title. */
    revisions?: Row[];
    /** Its `diagnosis_outcomes` row, left-joined to the fix's entity, title and link. */
    outcome?: Row;
  },
): Diagnosis {
  return {
    id: num(row.id),
    entityRef: row.entity_ref,
    anomalyId: row.anomaly_id === null ? undefined : num(row.anomaly_id),
    summary: row.summary,
    confidence: num(row.confidence),
    status: row.status,
    actionability: row.actionability,
    nextStep: opt(row.next_step),
    reviewers: parseJson(row.reviewers, []),
    feedback: opt(row.feedback),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    verdict: row.verdict,
    owner: opt(row.owner),
    impact: parseJson(row.impact, {}),
    history: parts.history.map(h => ({
      from: h.from_status,
      to: h.to_status,
      reason: opt(h.reason),
      by: h.by,
      at: iso(h.at),
    })),
    ...(parts.revisions?.length && {
      revisions: parts.revisions.map(r => ({
        at: iso(r.at),
        verdict: r.verdict,
        actionability: r.actionability,
        confidence: num(r.confidence),
        ...(r.change_event_id !== null &&
          r.change_entity_ref && {
            change: {
              id: num(r.change_event_id),
              entityRef: r.change_entity_ref,
              title: r.change_title,
            },
          }),
      })),
    }),
    ...(parts.outcome && { outcome: toOutcome(parts.outcome) }),
    evidence: parts.evidence.filter(e => e.suspectId === undefined),
    suspects: parts.suspects.map(s => ({
      id: num(s.suspect_id),
      rank: num(s.rank),
      score: num(s.score),
      confidence: num(s.confidence),
      change: parts.toChange(s),
      evidence: parts.evidence.filter(e => e.suspectId === num(s.suspect_id)),
    })),
  };
}

/** A `diagnosis_outcomes` row, joined to the change that undid the suspect. */
function toOutcome(row: Row): DiagnosisOutcome {
  return {
    outcome: row.outcome,
    basis: row.basis,
    description: row.description,
    decidedAt: iso(row.decided_at),
    suspectChangeId: optNum(row.suspect_change_id),
    ...(row.fix_change_id !== null &&
      row.fix_entity_ref && {
        fix: {
          changeId: num(row.fix_change_id),
          entityRef: row.fix_entity_ref,
          at: iso(row.fix_at),
          title: row.fix_title,
          url: opt(row.fix_url),
        },
      }),
    stoppedAt: optIso(row.stopped_at),
    reason: opt(row.reason),
    decidedBy: opt(row.decided_by),
  };
}
