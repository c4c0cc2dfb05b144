import type {
  Incident,
  IncidentTimelineEntry,
} from '@internal/plugin-product-os-common';
import type { IncidentInput } from '@internal/plugin-product-os-node';
import { iso, num, opt, optIso, optNum, parseJson, Row } from '../rowValues';

/** An `incidents` row as it was written, times in epoch ms. */
export interface IncidentRecord extends IncidentInput {
  id: number;
}

export function toIncidentRecord(row: Row): IncidentRecord {
  return {
    id: num(row.id),
    entityRef: row.entity_ref,
    source: row.source,
    externalId: row.external_id,
    title: row.title,
    urgency: opt(row.urgency),
    priority: opt(row.priority),
    status: row.status,
    createdAt: num(row.created_at),
    acknowledgedAt: optNum(row.acknowledged_at),
    resolvedAt: optNum(row.resolved_at),
    assignees: parseJson<string[]>(row.assignees, []),
    url: opt(row.url),
  };
}

/** An incident as the read API shows it, with its timeline. */
export function toIncident(
  incident: IncidentRecord,
  timeline: IncidentTimelineEntry[],
): Incident {
  return {
    id: incident.id,
    entityRef: incident.entityRef,
    source: incident.source,
    externalId: incident.externalId,
    title: incident.title,
    urgency: incident.urgency,
    priority: incident.priority,
    status: incident.status,
    createdAt: iso(incident.createdAt),
    acknowledgedAt: optIso(incident.acknowledgedAt),
    resolvedAt: optIso(incident.resolvedAt),
    assignees: incident.assignees ?? [],
    url: incident.url,
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
