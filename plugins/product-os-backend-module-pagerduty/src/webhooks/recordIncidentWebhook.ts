import type {
  IncidentInput,
  IngestWriter,
} from '@internal/plugin-product-os-node';
import { newTimelineEntries } from '../incidents/newTimelineEntries';
import type { IncidentWebhookChange } from './mapIncidentWebhook';

type IncidentChange = Extract<IncidentWebhookChange, { kind: 'incident' }>;
type NoteChange = Extract<IncidentWebhookChange, { kind: 'note' }>;

/**
 * Writes an incident event for one entity: the incident as the event shows it, plus the event on
 * its timeline. An event older than the stored state (a late `acknowledged` after `resolved`)
 * only adds its timeline entry. Returns true when the event opened the incident (and no pull
 * had stored that moment before it).
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
  // A pull of the incident's log may have stored this moment already, under the log entry's id.
  const entries = stored
    ? newTimelineEntries(
        await writer.findIncidentTimeline({
          entityRef,
          source: incident.source,
          externalId: incident.externalId,
        }),
        [timeline],
      )
    : [timeline];
  if (stored && isOlderThanStoredState(stored, timeline.occurredAt)) {
    await writer.upsertIncident(stored, entries);
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
    entries,
  );
  // A trigger a pull already stored has woken the agent then.
  return change.opens && entries.length > 0;
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
    const stored = await writer.findIncidentTimeline({
      entityRef: incident.entityRef,
      source: incident.source,
      externalId: incident.externalId,
    });
    await writer.upsertIncident(
      incident,
      newTimelineEntries(stored, [change.timeline]),
    );
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
