import type { Incident } from '@internal/plugin-product-os-common';
import type { AgentConfig } from '../../config';
import type { Signal } from '../types';
import { clockTime } from './hourly';

/**
 * An alert fires some minutes after what it alerts on begins; the onset is taken to lie in this
 * much time before the incident was triggered.
 */
const ALERT_DELAY_MS = 15 * 60_000;

export interface IncidentInput {
  incidents: Incident[];
  now: number;
  config: Pick<AgentConfig, 'detectWindowMs'>;
}

/** Incidents triggered in the detect window, resolved ones included. */
export function detectIncidents(input: IncidentInput): Signal[] {
  const { now, config } = input;
  const signals: Signal[] = [];
  for (const incident of input.incidents) {
    const createdAt = Date.parse(incident.createdAt);
    if (createdAt < now - config.detectWindowMs || createdAt > now) continue;
    const urgent =
      incident.urgency === 'high' || /^P[12]$/i.test(incident.priority ?? '');
    signals.push({
      kind: 'incident',
      onsetAt: createdAt - ALERT_DELAY_MS,
      onsetUncertaintyMs: ALERT_DELAY_MS,
      magnitude: 1,
      score: urgent ? 0.9 : 0.7,
      description: `incident "${incident.title}" triggered at ${clockTime(
        createdAt,
      )}`,
      incident: {
        id: incident.id,
        title: incident.title,
        status: incident.status,
        url: incident.url,
      },
      url: incident.url,
    });
  }
  return signals;
}
