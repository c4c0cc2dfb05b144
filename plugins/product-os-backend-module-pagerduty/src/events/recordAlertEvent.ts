import { createHash } from 'crypto';
import type {
  IncidentTimelineInput,
  IngestWriter,
} from '@internal/plugin-product-os-node';
import type { AlertEvent } from './parseEvents';

/** What an alert event did to its entity's incident. */
export type AlertOutcome = 'opened' | 'updated' | 'dropped';

/**
 * The id of the incident an Events API dedup key stands for. PagerDuty scopes dedup keys to the
 * routing key, and so does this id; one too long for the column is shortened to a hash.
 */
export function eventsIncidentId(routingKey: string, dedupKey: string): string {
  const id = `events:${routingKey}:${dedupKey}`;
  if (id.length <= 255) return id;
  return `events:${routingKey}:sha256:${createHash('sha256')
    .update(dedupKey)
    .digest('hex')}`;
}

/**
 * Applies an alert event to an entity's incident the way PagerDuty applies it to an alert:
 * `trigger` opens the incident (or adds to the timeline of one still open), `acknowledge` and
 * `resolve` change an open incident and are dropped when none is open.
 *
 * Unlike PagerDuty, a `trigger` for a resolved incident opens the same incident again instead of
 * a new one, since the incident's id is its dedup key.
 */
export async function recordAlertEvent(
  writer: IngestWriter,
  options: {
    entityRef: string;
    event: AlertEvent;
    dedupKey: string;
    /** Identifies this request's event on the timeline, so a resent event is kept once. */
    eventKey: string;
    receivedAt: number;
  },
): Promise<AlertOutcome> {
  const { entityRef, event, receivedAt } = options;
  const externalId = eventsIncidentId(event.routingKey, options.dedupKey);
  const [stored] = await writer.findIncidents({
    entityRef,
    source: 'pagerduty',
    externalId,
  });
  const isOpen = stored !== undefined && stored.status !== 'resolved';
  const entry = (
    type: string,
    message: string,
    occurredAt: number,
  ): IncidentTimelineInput => ({
    externalId: `${event.action}:${options.eventKey}`,
    type,
    message,
    actor: event.client ?? event.source,
    occurredAt,
  });

  switch (event.action) {
    case 'trigger': {
      const occurredAt = event.timestamp ?? receivedAt;
      const what = `${event.summary} (${event.severity}, ${event.source})`;
      if (isOpen) {
        await writer.upsertIncident(stored, [
          entry('triggered', `Triggered again: ${what}`, occurredAt),
        ]);
        return 'updated';
      }
      await writer.upsertIncident(
        {
          entityRef,
          source: 'pagerduty',
          externalId,
          title: event.summary!,
          status: 'triggered',
          createdAt: occurredAt,
          url: event.url,
        },
        [
          entry(
            stored ? 'reopened' : 'triggered',
            `Triggered: ${what}`,
            occurredAt,
          ),
        ],
      );
      return 'opened';
    }
    case 'acknowledge': {
      if (!isOpen) return 'dropped';
      await writer.upsertIncident(
        {
          ...stored,
          status: 'acknowledged',
          acknowledgedAt:
            stored.status === 'acknowledged'
              ? stored.acknowledgedAt
              : receivedAt,
        },
        [
          entry(
            'acknowledged',
            'Acknowledged through the Events API',
            receivedAt,
          ),
        ],
      );
      return 'updated';
    }
    case 'resolve': {
      if (!isOpen) return 'dropped';
      await writer.upsertIncident(
        { ...stored, status: 'resolved', resolvedAt: receivedAt },
        [entry('resolved', 'Resolved through the Events API', receivedAt)],
      );
      return 'updated';
    }
    default:
      return 'dropped';
  }
}
