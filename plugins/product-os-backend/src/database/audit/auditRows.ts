import { iso, num, parseJson, Row } from '../rowValues';
import type { AuditEntry } from './AuditStore';

export function toAuditEntry(row: Row): AuditEntry {
  return {
    id: num(row.id),
    at: iso(row.at),
    actor: row.actor,
    action: row.action,
    target: row.target,
    diagnosisId: row.diagnosis_id === null ? undefined : num(row.diagnosis_id),
    request: parseJson(row.request, null),
    outcome: row.outcome,
    result: parseJson(row.result, undefined),
  };
}
