import type {
  Anomaly,
  ChangeEvent,
  Evidence,
  Incident,
  IncidentTimelineEntry,
} from '@internal/plugin-product-os-common';
import type { AnomalyRecord } from './ProductOsStore';

/*
 * Row shapes and their mapping to the domain. PostgreSQL returns bigint columns as strings and
 * SQLite returns numbers, so every numeric column goes through `num`.
 */

export function num(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

export function optNum(value: unknown): number | undefined {
  return value === null || value === undefined ? undefined : num(value);
}

export function iso(ms: unknown): string {
  return new Date(num(ms)).toISOString();
}

export function optIso(ms: unknown): string | undefined {
  return ms === null || ms === undefined ? undefined : iso(ms);
}

export function opt<T>(value: T | null | undefined): T | undefined {
  return value === null ? undefined : value;
}

export function parseJson<T>(text: unknown, fallback: T): T {
  if (typeof text !== 'string' || text === '') return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export type Row = Record<string, any>;

export function toChangeEvent(row: Row): ChangeEvent {
  return {
    id: num(row.id),
    entityRef: row.entity_ref,
    source: row.source,
    kind: row.kind,
    externalId: row.external_id,
    title: row.title,
    author: opt(row.author),
    sha: opt(row.sha),
    number: optNum(row.number),
    environment: opt(row.environment),
    status: opt(row.status),
    url: opt(row.url),
    occurredAt: iso(row.occurred_at),
    finishedAt: optIso(row.finished_at),
    files: parseJson<string[]>(row.files, []),
  };
}

export function toIncident(
  row: Row,
  timeline: IncidentTimelineEntry[],
): Incident {
  return {
    id: num(row.id),
    entityRef: row.entity_ref,
    source: row.source,
    externalId: row.external_id,
    title: row.title,
    urgency: opt(row.urgency),
    priority: opt(row.priority),
    status: row.status,
    createdAt: iso(row.created_at),
    acknowledgedAt: optIso(row.acknowledged_at),
    resolvedAt: optIso(row.resolved_at),
    assignees: parseJson<string[]>(row.assignees, []),
    url: opt(row.url),
    timeline,
  };
}

export function toTimelineEntry(row: Row): IncidentTimelineEntry {
  return {
    type: row.type,
    message: row.message,
    actor: opt(row.actor),
    occurredAt: iso(row.occurred_at),
  };
}

export function toAnomaly(row: Row): Anomaly {
  return {
    id: num(row.id),
    entityRef: row.entity_ref,
    kinds: parseJson(row.kinds, []),
    onsetAt: iso(row.onset_at),
    detectedAt: iso(row.detected_at),
    magnitude: num(row.magnitude),
    score: num(row.score),
    status: row.status,
  };
}

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

/** Start of the bucket that holds `ms`. */
export function bucketStart(ms: number, bucketMs: number): number {
  return Math.floor(ms / bucketMs) * bucketMs;
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
