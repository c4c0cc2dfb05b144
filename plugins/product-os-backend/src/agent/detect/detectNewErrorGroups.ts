import type { AgentConfig } from '../../config';
import type {
  ErrorBucketRecord,
  ErrorGroupRecord,
} from '../../database/errors/ErrorStore';
import { bucketStart, HOUR_MS } from '../../time';
import type { Signal } from '../types';
import { clockTime } from './hourly';

/** A new group must reach its minimum volume within this long of first appearing. */
const RAMP_MS = 2 * HOUR_MS;

export interface NewErrorGroupInput {
  groups: ErrorGroupRecord[];
  buckets: ErrorBucketRecord[];
  now: number;
  /** Events an hour the entity usually has, to say how much the new group adds. */
  usualPerHour: number;
  config: Pick<AgentConfig, 'detectWindowMs' | 'newGroupMinEvents'>;
}

/**
 * Error groups first seen in the detect window that reached the minimum volume within two hours
 * of appearing; a trickle of a rare new error is not an anomaly. The onset is the first event.
 */
export function detectNewErrorGroups(input: NewErrorGroupInput): Signal[] {
  const { now, config } = input;
  const signals: Signal[] = [];
  for (const group of input.groups) {
    if (group.firstSeen < now - config.detectWindowMs || group.firstSeen > now)
      continue;
    const early = eventsBetween(
      input.buckets,
      group.id,
      group.firstSeen,
      group.firstSeen + RAMP_MS,
    );
    if (early < config.newGroupMinEvents) continue;
    const events = eventsBetween(input.buckets, group.id, group.firstSeen, now);
    const hours = Math.max((now - group.firstSeen) / HOUR_MS, 0.25);
    const perHour = events / hours;
    const ratio =
      (input.usualPerHour + perHour) / Math.max(input.usualPerHour, 1);
    signals.push({
      kind: 'new_error_group',
      onsetAt: group.firstSeen,
      onsetUncertaintyMs: 0,
      magnitude: ratio,
      score: Math.min(
        1,
        0.6 + 0.4 * Math.min(1, events / (4 * config.newGroupMinEvents)),
      ),
      description: `new error "${group.title}" since ${clockTime(
        group.firstSeen,
      )} (${events} events)`,
      groups: [{ id: group.id, excess: events }],
      url: group.permalink,
    });
  }
  return signals;
}

/** Events of one group in the hours overlapping [from, to). */
export function eventsBetween(
  buckets: ErrorBucketRecord[],
  groupId: number,
  from: number,
  to: number,
): number {
  const first = bucketStart(from, HOUR_MS);
  let sum = 0;
  for (const b of buckets) {
    if (b.groupId === groupId && b.bucketStart >= first && b.bucketStart < to)
      sum += b.count;
  }
  return sum;
}
