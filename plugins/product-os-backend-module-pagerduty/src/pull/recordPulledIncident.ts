import type {
  IncidentInput,
  IngestWriter,
} from '@internal/plugin-product-os-node';
import { newTimelineEntries } from '../incidents/newTimelineEntries';
import type { PulledIncident } from './mapPulledIncident';

/**
 * Writes a pulled incident for one entity, the way a webhook of it would have: the incident's
 * fields over what is stored (a field the answer lacks keeps its stored value), and the log
 * entries the timeline does not hold yet, whether a webhook or an earlier pull stored them. When
 * a webhook told of a later state than the answer shows (it arrived while the pull was running),
 * that state stays. Returns true when the incident was not stored for the entity before.
 */
export async function recordPulledIncident(
  writer: IngestWriter,
  entityRef: string,
  pulled: PulledIncident,
): Promise<boolean> {
  const key = {
    entityRef,
    source: pulled.incident.source,
    externalId: pulled.incident.externalId,
  };
  const [stored] = await writer.findIncidents(key);
  const timeline = stored
    ? newTimelineEntries(
        await writer.findIncidentTimeline(key),
        pulled.timeline,
      )
    : pulled.timeline;
  if (stored && reachedLater(stored, pulled.statusSince)) {
    await writer.upsertIncident(stored, timeline);
    return false;
  }
  const { incident } = pulled;
  await writer.upsertIncident(
    {
      ...stored,
      ...definedOnly(incident),
      entityRef,
      acknowledgedAt: incident.acknowledgedAt ?? stored?.acknowledgedAt,
      resolvedAt: incident.resolvedAt ?? stored?.resolvedAt,
    },
    timeline,
  );
  return !stored;
}

/** The stored incident is in a state it reached after `since`. */
function reachedLater(stored: IncidentInput, since: number): boolean {
  let at: number | undefined;
  if (stored.status === 'resolved') at = stored.resolvedAt;
  if (stored.status === 'acknowledged') at = stored.acknowledgedAt;
  return at !== undefined && at > since;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined),
  ) as Partial<T>;
}
