import { isObject } from '../parseJson';
import type { PagerDutyReference } from '../webhooks/types';

/*
 * How an incident's moments read on its timeline, whichever way they arrive (a V3 webhook or
 * the incident's log entries from the REST API), so both give the same entries.
 */

const MAX_MESSAGE_LENGTH = 2000;

/** What a timeline message needs to know of the incident. */
export interface DescribedIncident {
  id: string;
  title?: string;
  assignees?: (PagerDutyReference | null)[];
  escalationPolicy?: PagerDutyReference | null;
  priority?: PagerDutyReference | null;
}

/** The message of an incident event of `type` (`triggered`, `acknowledged`, ...). */
export function describeIncidentEvent(
  type: string,
  incident: DescribedIncident,
): string {
  const assignees = (incident.assignees ?? [])
    .map(nameOf)
    .filter(Boolean)
    .join(', ');
  switch (type) {
    case 'triggered':
      return `Triggered: ${incident.title ?? incident.id}`;
    case 'acknowledged':
      return 'Acknowledged';
    case 'unacknowledged':
      return 'Acknowledgement timed out; the incident is triggered again';
    case 'resolved':
      return 'Resolved';
    case 'reopened':
      return 'Reopened';
    case 'reassigned':
      return assignees ? `Reassigned to ${assignees}` : 'Reassigned';
    case 'escalated':
      return assignees ? `Escalated to ${assignees}` : 'Escalated';
    case 'delegated': {
      const policy = nameOf(incident.escalationPolicy);
      return policy ? `Delegated to escalation policy ${policy}` : 'Delegated';
    }
    case 'priority_updated': {
      const priority = nameOf(incident.priority);
      return priority ? `Priority changed to ${priority}` : 'Priority removed';
    }
    default:
      return type.replace(/[._]/g, ' ');
  }
}

/** The message of a note added to an incident. */
export function describeNote(content: string): string {
  return `Note: ${content}`;
}

/** A reference's display name: its summary, else its id. */
export function nameOf(
  ref: PagerDutyReference | null | undefined,
): string | undefined {
  if (!isObject(ref)) return undefined;
  if (typeof ref.summary === 'string' && ref.summary) return ref.summary;
  return typeof ref.id === 'string' && ref.id ? ref.id : undefined;
}

/** A message cut to what a timeline entry keeps. */
export function truncateMessage(text: string): string {
  return text.length > MAX_MESSAGE_LENGTH
    ? `${text.slice(0, MAX_MESSAGE_LENGTH - 1)}…`
    : text;
}
