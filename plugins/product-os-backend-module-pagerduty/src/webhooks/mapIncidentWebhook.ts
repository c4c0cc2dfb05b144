import { InputError } from '@backstage/errors';
import type { IncidentStatus } from '@internal/plugin-product-os-common';
import type {
  IncidentInput,
  IncidentTimelineInput,
} from '@internal/plugin-product-os-node';
import {
  describeIncidentEvent,
  describeNote,
  nameOf,
  truncateMessage,
} from '../incidents/describe';
import { isObject, parseTime } from '../parseJson';
import type {
  PagerDutyReference,
  WebhookEvent,
  WebhookIncident,
} from './types';

/** What one V3 webhook event means for Product OS. */
export type IncidentWebhookChange =
  | {
      /** An event carrying the whole incident (`data.type` is `incident`). */
      kind: 'incident';
      serviceId: string;
      incident: Omit<IncidentInput, 'entityRef'>;
      timeline: IncidentTimelineInput;
      /** The event opened the incident, or opened it again. */
      opens: boolean;
    }
  | {
      /** An event about an incident that names only the incident (a note, a status update). */
      kind: 'note';
      incidentId: string;
      timeline: IncidentTimelineInput;
    }
  | { kind: 'ignored'; reason: string };

const STATUSES: IncidentStatus[] = ['triggered', 'acknowledged', 'resolved'];

/** Maps a V3 webhook event to an incident update or a timeline entry. */
export function mapIncidentWebhook(event: WebhookEvent): IncidentWebhookChange {
  if (!event.event_type.startsWith('incident.')) {
    return {
      kind: 'ignored',
      reason: `event type ${event.event_type} is not about an incident`,
    };
  }
  const occurredAt = parseTime(event.occurred_at)!;
  const data = event.data as Record<string, unknown>;
  const type = event.event_type.slice('incident.'.length);
  const actor = nameOf(event.agent);

  if (data.type === 'incident') {
    const incident = checkIncident(data);
    return {
      kind: 'incident',
      serviceId: incident.service.id,
      incident: {
        source: 'pagerduty',
        externalId: incident.id,
        title: incident.title || `Incident #${incident.number ?? incident.id}`,
        urgency:
          typeof incident.urgency === 'string' ? incident.urgency : undefined,
        priority: nameOf(incident.priority),
        status: incident.status as IncidentStatus,
        createdAt: parseTime(incident.created_at) ?? occurredAt,
        acknowledgedAt: type === 'acknowledged' ? occurredAt : undefined,
        resolvedAt: type === 'resolved' ? occurredAt : undefined,
        assignees: Array.isArray(incident.assignees)
          ? incident.assignees
              .map(nameOf)
              .filter((name): name is string => Boolean(name))
          : undefined,
        url:
          typeof incident.html_url === 'string' ? incident.html_url : undefined,
      },
      timeline: {
        externalId: event.id,
        type,
        message: truncateMessage(
          describeIncidentEvent(type, {
            id: incident.id,
            title: incident.title,
            assignees: incident.assignees,
            escalationPolicy: incident.escalation_policy,
            priority: incident.priority,
          }),
        ),
        actor,
        occurredAt,
      },
      opens: type === 'triggered' || type === 'reopened',
    };
  }

  const incidentRef = data.incident;
  if (
    isObject(incidentRef) &&
    typeof incidentRef.id === 'string' &&
    incidentRef.id
  ) {
    return {
      kind: 'note',
      incidentId: incidentRef.id,
      timeline: {
        externalId: event.id,
        type,
        message: truncateMessage(describeIncidentNote(type, data)),
        actor,
        occurredAt,
      },
    };
  }
  return {
    kind: 'ignored',
    reason: `event.data of ${event.event_type} names no incident`,
  };
}

function checkIncident(data: Record<string, unknown>): WebhookIncident {
  const problems: string[] = [];
  if (typeof data.id !== 'string' || data.id === '')
    problems.push('event.data.id is missing');
  if (
    !isObject(data.service) ||
    typeof data.service.id !== 'string' ||
    !data.service.id
  ) {
    problems.push('event.data.service.id is missing');
  }
  if (!STATUSES.includes(data.status as IncidentStatus)) {
    problems.push(`event.data.status must be one of ${STATUSES.join(', ')}`);
  }
  if (problems.length > 0) {
    throw new InputError(
      `Invalid PagerDuty incident event: ${problems.join('; ')}`,
    );
  }
  return data as unknown as WebhookIncident;
}

function describeIncidentNote(
  type: string,
  data: Record<string, unknown>,
): string {
  switch (type) {
    case 'annotated':
      return describeNote(String(data.content ?? ''));
    case 'status_update_published':
      return `Status update: ${String(data.message ?? '')}`;
    case 'responder.added':
      return `Responder requested: ${
        nameOf(data.user as PagerDutyReference) ?? 'someone'
      }`;
    case 'responder.replied':
      return `${
        nameOf(data.user as PagerDutyReference) ?? 'A responder'
      } replied: ${String(data.state ?? '')}`;
    default:
      return type.replace(/[._]/g, ' ');
  }
}
