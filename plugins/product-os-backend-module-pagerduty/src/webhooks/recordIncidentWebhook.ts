import type {
  IncidentInput,
  IngestWriter,
} from '@internal/plugin-product-os-node';
import type { IncidentWebhookChange } from './mapIncidentWebhook';

type IncidentChange = Extract<IncidentWebhookChange, { kind: 'incident' }>;
type NoteChange = Extract<IncidentWebhookChange, { kind: 'note' }>;

/**
 * Writes an incident event for one entity: the incident as the event shows it, plus the event on
 * its timeline. An event older than the stored state (a late `acknowledged` after `resolved`)
 * only adds its timeline entry. Returns true when the event opened the incident.
 */
export async function recordIncidentEvent(
  writer: IngestWriter,
  entityRef: string,
  change: IncidentChange,
): Promise<boolean> {
  const { incident, timeline } = change;
  const [stored] = await writer.findIncidents({
    entityRef,
    source: incident.source,
    externalId: incident.externalId,
  });
  if (stored && isOlderThanStoredState(stored, timeline.occurredAt)) {
    await writer.upsertIncident(stored, [timeline]);
    return false;
  }
  await writer.upsertIncident(
    {
      ...incident,
      entityRef,
      // An incident seen in a state whose event was missed gets the time it was first seen in it.
      acknowledgedAt:
        incident.acknowledgedAt ??
        stored?.acknowledgedAt ??
        (incident.status === 'acknowledged' ? timeline.occurredAt : undefined),
      resolvedAt:
        incident.resolvedAt ??
        stored?.resolvedAt ??
        (incident.status === 'resolved' ? timeline.occurredAt : undefined),
    },
    [timeline],
  );
  return change.opens;
}

/**
 * Adds a note (or another event that names only the incident) to the timeline of every entity's
 * copy of the incident. Returns how many incidents it was added to; 0 when the incident is not
 * known here (its service is not in the catalog, or its trigger has not arrived).
 */
export async function recordIncidentNote(
  writer: IngestWriter,
  change: NoteChange,
): Promise<number> {
  const incidents = await writer.findIncidents({
    source: 'pagerduty',
    externalId: change.incidentId,
  });
  for (const incident of incidents) {
    await writer.upsertIncident(incident, [change.timeline]);
  }
  return incidents.length;
}

function isOlderThanStoredState(
  stored: IncidentInput,
  occurredAt: number,
): boolean {
  let since: number | undefined;
  if (stored.status === 'resolved') since = stored.resolvedAt;
  if (stored.status === 'acknowledged') since = stored.acknowledgedAt;
  return since !== undefined && occurredAt < since;
}
