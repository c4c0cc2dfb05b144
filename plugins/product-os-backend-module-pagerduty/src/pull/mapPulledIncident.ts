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
import { parseTime } from '../parseJson';
import type { RestIncident, RestLogEntry } from './restTypes';

/** An incident as a pull found it: what the webhook path would store, and its log as timeline. */
export interface PulledIncident {
  serviceId: string;
  incident: Omit<IncidentInput, 'entityRef'>;
  timeline: IncidentTimelineInput[];
  /** When the incident entered the status it has (`last_status_change_at`), epoch ms. */
  statusSince: number;
}

const STATUSES: IncidentStatus[] = ['triggered', 'acknowledged', 'resolved'];

/**
 * The timeline types of the log entries kept, named as the V3 webhooks name the same moments
 * (`incident.acknowledged` is `acknowledged`), so an entry pulled and one pushed meet. Log entries
 * of notifications sent, escalation paths repeated or exhausted and field changes are left out:
 * they are about paging people, not about the incident.
 */
const TIMELINE_TYPES: Record<string, string> = {
  trigger_log_entry: 'triggered',
  acknowledge_log_entry: 'acknowledged',
  // The name PagerDuty's API description gives the acknowledgement's own schema.
  acknowledgement_log_entry: 'acknowledged',
  unacknowledge_log_entry: 'unacknowledged',
  resolve_log_entry: 'resolved',
  escalate_log_entry: 'escalated',
  assign_log_entry: 'reassigned',
  delegate_log_entry: 'delegated',
  annotate_log_entry: 'annotated',
  urgency_change_log_entry: 'urgency_changed',
  snooze_log_entry: 'snoozed',
};

/**
 * Maps an incident of the REST API and its log entries to the incident and timeline the webhook
 * path stores for it: the same external ids (the incident's id), title, urgency, priority name,
 * assignee names and URL, and timeline entries of the same types and messages. What the answer
 * does not know is left undefined, so the store keeps what a webhook told it (a resolved
 * incident has no assignments any more).
 */
export function mapPulledIncident(
  incident: RestIncident,
  logEntries: RestLogEntry[],
): PulledIncident | undefined {
  const createdAt = parseTime(incident.created_at);
  const status = incident.status as IncidentStatus;
  if (!incident.id || !incident.service?.id || createdAt === undefined) {
    return undefined;
  }
  if (!STATUSES.includes(status)) return undefined;

  const title =
    incident.title || `Incident #${incident.incident_number ?? incident.id}`;
  const timeline = logEntries.flatMap(entry => {
    const mapped = mapLogEntry(entry, { id: incident.id, title });
    return mapped ? [mapped] : [];
  });
  const latest = (type: string) =>
    timeline
      .filter(entry => entry.type === type)
      .reduce<number | undefined>(
        (at, entry) =>
          at === undefined || entry.occurredAt > at ? entry.occurredAt : at,
        undefined,
      );
  const statusSince =
    parseTime(incident.last_status_change_at) ??
    parseTime(incident.updated_at) ??
    createdAt;
  const assignees = (incident.assignments ?? [])
    .map(assignment => nameOf(assignment.assignee))
    .filter((name): name is string => Boolean(name));

  return {
    serviceId: incident.service.id,
    incident: {
      source: 'pagerduty',
      externalId: incident.id,
      title,
      urgency:
        typeof incident.urgency === 'string' ? incident.urgency : undefined,
      priority: nameOf(incident.priority),
      status,
      createdAt,
      // As the webhook path: the time of the latest acknowledgement and resolution.
      acknowledgedAt:
        latest('acknowledged') ??
        maxTime((incident.acknowledgements ?? []).map(a => a.at)) ??
        (status === 'acknowledged' ? statusSince : undefined),
      resolvedAt:
        latest('resolved') ??
        parseTime(incident.resolved_at) ??
        (status === 'resolved' ? statusSince : undefined),
      assignees: assignees.length > 0 ? assignees : undefined,
      url:
        typeof incident.html_url === 'string' ? incident.html_url : undefined,
    },
    timeline,
    statusSince,
  };
}

function mapLogEntry(
  entry: RestLogEntry,
  incident: { id: string; title: string },
): IncidentTimelineInput | undefined {
  const type = TIMELINE_TYPES[entry.type];
  const occurredAt = parseTime(entry.created_at);
  if (!type || occurredAt === undefined || !entry.id) return undefined;
  return {
    externalId: entry.id,
    type,
    message: truncateMessage(messageOf(type, entry, incident)),
    actor: nameOf(entry.agent),
    occurredAt,
  };
}

function messageOf(
  type: string,
  entry: RestLogEntry,
  incident: { id: string; title: string },
): string {
  switch (type) {
    case 'annotated':
      return describeNote(entry.note ?? entry.channel?.summary ?? '');
    case 'urgency_changed':
    case 'snoozed':
      return entry.summary || type.replace(/_/g, ' ');
    default:
      return describeIncidentEvent(type, {
        id: incident.id,
        title: incident.title,
        assignees: entry.assignees,
      });
  }
}

function maxTime(times: (string | undefined)[]): number | undefined {
  const parsed = times
    .map(parseTime)
    .filter((t): t is number => t !== undefined);
  return parsed.length > 0 ? Math.max(...parsed) : undefined;
}
