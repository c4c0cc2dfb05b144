import type { AgentConfig } from '../../config';
import type {
  ErrorBucketRecord,
  ErrorGroupRecord,
} from '../../database/errors/ErrorStore';
import { HOUR_MS } from '../../time';
import type { Signal } from '../types';
import { eventsBetween } from './detectNewErrorGroups';
import { clockTime } from './hourly';

export interface RegressionInput {
  groups: ErrorGroupRecord[];
  buckets: ErrorBucketRecord[];
  now: number;
  usualPerHour: number;
  config: Pick<AgentConfig, 'detectWindowMs' | 'regressionMinEvents'>;
}

/**
 * Resolved error groups that came back in the detect window and are still unresolved, once they
 * have the minimum volume again. The onset is the first event after the resolution.
 */
export function detectRegressions(input: RegressionInput): Signal[] {
  const { now, config } = input;
  const signals: Signal[] = [];
  for (const group of input.groups) {
    const at = group.regressedAt;
    if (at === undefined || group.status !== 'unresolved') continue;
    if (at < now - config.detectWindowMs || at > now) continue;
    // The hour the group came back in also holds events from before its resolution, if any.
    const events = eventsBetween(input.buckets, group.id, at, now);
    if (events < config.regressionMinEvents) continue;
    const hours = Math.max((now - at) / HOUR_MS, 0.25);
    const ratio =
      (input.usualPerHour + events / hours) / Math.max(input.usualPerHour, 1);
    signals.push({
      kind: 'regression',
      onsetAt: at,
      onsetUncertaintyMs: 0,
      magnitude: ratio,
      score: Math.min(
        1,
        0.6 + 0.4 * Math.min(1, events / (4 * config.regressionMinEvents)),
      ),
      description: `resolved error "${group.title}" came back at ${clockTime(
        at,
      )} (${events} events)`,
      groups: [{ id: group.id, excess: events }],
      url: group.permalink,
    });
  }
  return signals;
}
