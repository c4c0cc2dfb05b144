import { Incident } from '@internal/plugin-product-os-common';
import { durationBetween, formatDuration } from '../../lib/format';

/** How long an incident took to acknowledge, to resolve, and lasted, as shown in the table. */
export function describeIncidentTimes(
  incident: Incident,
  now: number = Date.now(),
) {
  const toAck = durationBetween(incident.createdAt, incident.acknowledgedAt);
  const toResolve = durationBetween(incident.createdAt, incident.resolvedAt);
  const open = incident.status !== 'resolved';
  return {
    timeToAcknowledge: toAck === undefined ? '—' : formatDuration(toAck),
    timeToResolve: toResolve === undefined ? '—' : formatDuration(toResolve),
    duration: open
      ? `${formatDuration(now - Date.parse(incident.createdAt))} (ongoing)`
      : formatDuration(toResolve ?? 0),
  };
}
