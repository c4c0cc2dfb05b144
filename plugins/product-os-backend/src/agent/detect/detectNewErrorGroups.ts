import type { AgentConfig } from '../../config';
import type {
  ErrorBucketRecord,
  ErrorGroupRecord,
  ErrorSampleRecord,
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
  /**
   * Sampled events of the groups {@link awaitingEarlyEvidence} names, from their first event on
   * (`newGroupEarly.withinMs` of it is enough); the others need none.
   */
  samples?: ErrorSampleRecord[];
  /** Events an hour the entity usually has, to say how much the new group adds. */
  usualPerHour: number;
  config: NewGroupConfig;
}

type NewGroupConfig = Pick<
  AgentConfig,
  'detectWindowMs' | 'newGroupMinEvents' | 'newGroupEarly'
>;

/**
 * Error groups first seen in the detect window that are more than a trickle of a rare new
 * error: `newGroupMinEvents` events within two hours of appearing, or, sooner, the fast start
 * of `newGroupEarly` (its minimum events within a couple of minutes of the first, spread over
 * more than one moment, from the sampled events). Ten events in two hours is a rate of 5 an
 * hour; five in two minutes is 150 an hour, far above anything that rule lets through, so the
 * early rule asks for no less evidence of a real rate, only less waiting. The span keeps one
 * burst (a request retried at once, a client looping for a second) from counting as a rate.
 * The onset is the first event.
 */
export function detectNewErrorGroups(input: NewErrorGroupInput): Signal[] {
  const { now, config } = input;
  const signals: Signal[] = [];
  for (const group of input.groups) {
    if (!isRecent(group, now, config)) continue;
    const early = rampEvents(input.buckets, group);
    if (
      early < config.newGroupMinEvents &&
      !startedFast(group, input.samples ?? [], now, config)
    )
      continue;
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

/**
 * The groups whose new-group judgement needs their sampled events: first seen in the window,
 * short of `newGroupMinEvents`, yet with the early rule's events already.
 */
export function awaitingEarlyEvidence(
  input: Pick<NewErrorGroupInput, 'groups' | 'buckets' | 'now' | 'config'>,
): ErrorGroupRecord[] {
  const { now, config } = input;
  return input.groups.filter(group => {
    if (!isRecent(group, now, config)) return false;
    const early = rampEvents(input.buckets, group);
    return (
      early >= config.newGroupEarly.minEvents &&
      early < config.newGroupMinEvents
    );
  });
}

function isRecent(
  group: ErrorGroupRecord,
  now: number,
  config: NewGroupConfig,
) {
  return (
    group.firstSeen >= now - config.detectWindowMs && group.firstSeen <= now
  );
}

/** The early rule: enough events soon after the first, not all in one moment. */
function startedFast(
  group: ErrorGroupRecord,
  samples: ErrorSampleRecord[],
  now: number,
  config: NewGroupConfig,
): boolean {
  const { minEvents, withinMs, minSpanMs } = config.newGroupEarly;
  const end = Math.min(now, group.firstSeen + withinMs);
  const times = samples
    .filter(
      s =>
        s.groupId === group.id &&
        s.timestamp >= group.firstSeen &&
        s.timestamp <= end,
    )
    .map(s => s.timestamp);
  if (times.length < minEvents) return false;
  return Math.max(...times) - Math.min(...times) >= minSpanMs;
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

/** A group's events in its first `RAMP_MS`, what both rules for a new group count. */
function rampEvents(
  buckets: NewErrorGroupInput['buckets'],
  group: ErrorGroupRecord,
): number {
  return eventsBetween(
    buckets,
    group.id,
    group.firstSeen,
    group.firstSeen + RAMP_MS,
  );
}
