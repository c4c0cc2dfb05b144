import type {
  ErrorGroupKey,
  ErrorRiseCheck,
} from '@internal/plugin-product-os-node';
import type { AgentConfig } from '../config';
import {
  errorGroupId,
  ErrorStore,
  HourlyCounts,
} from '../database/errors/ErrorStore';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

/** How the check runs; the thresholds themselves are the agent's (`productOs.agent.errorSpike`). */
export interface SharpErrorRiseOptions {
  /** Complete hours before the current one whose median is the recent level. Default 6. */
  baselineHours?: number;
  /**
   * A group or an entity is judged at least this often per instance while events come (sooner
   * when enough of them came to reach the threshold). Default 5 minutes.
   */
  checkIntervalMs?: number;
  /** After a signal the same group or entity stays quiet this long. Default 1 hour. */
  quietAfterSignalMs?: number;
  /**
   * A group with no events in the hours before the current one (new, or back from silence) is
   * an anomaly once it has this many (`productOs.agent.newGroupMinEvents`). Default 10.
   */
  newGroupMinEvents?: number;
  /**
   * Such a group is signalled once before that, at this many, when the agent may already count
   * it by how fast they came (`productOs.agent.newGroupEarly.minEvents`). Default 5.
   */
  newGroupEarlyMinEvents?: number;
  /** Such a group is judged at most this often until it signals. Default 1 second. */
  newGroupCheckIntervalMs?: number;
  now?: () => number;
}

interface Judged {
  checkedAt: number;
  signalledAt: number;
  /** No events in the hours before the current one when last judged. */
  young?: boolean;
  /** Signalled at `newGroupEarlyMinEvents` while young (the next signal is at the full count). */
  signalledEarly?: boolean;
  /** Events this instance stored since the last judgement. */
  pending: number;
  /** Events the series lacked at the last judgement to signal; sooner than that it cannot. */
  lacking: number;
}

/**
 * Notices a sharp rise of errors as any source stores them, so that the diagnosis agent looks at
 * once rather than at its next scheduled run: for each error group written and for its entity's
 * total, the count of the current hour so far against the median of the hours before it. A rise
 * must reach the agent's own spike thresholds (`minRatio` times the recent level, and at least
 * `minEvents` events), so ingestion never wakes the agent for less than it would report.
 *
 * The counts are the hourly buckets the store writes, read after the commit: every instance
 * and one just restarted see the same counts. Only when a group or entity is due are they read:
 * once per interval, or sooner once this instance has stored as many of its events since the
 * last judgement as it lacked then to signal (a rise that starts just after a judgement is not
 * left waiting five minutes), and never in the hour after a signal. So a busy group costs one
 * small read per interval or per threshold's worth of events, not one per delivery. The timers
 * and counts are this instance's; several instances may each signal a rise once, which the
 * agent's debounce turns into one look.
 *
 * A group with no events in the hours before (a new one) is signalled when it has the events
 * the agent may count as an anomaly if they came fast (`newGroupEarlyMinEvents`), and again when
 * it has the events that make it one in any case (`newGroupMinEvents`); until then it is judged
 * every second rather than every five minutes: its first event woke the agent too early to judge
 * it, and without this the next look would wait for the schedule, minutes after the error was
 * plainly there. It costs one small read a second per young group, for at most an hour.
 */
export class SharpErrorRise implements ErrorRiseCheck {
  private readonly judged = new Map<string, Judged>();
  private readonly baselineHours: number;
  private readonly checkIntervalMs: number;
  private readonly quietAfterSignalMs: number;
  private readonly newGroupMinEvents: number;
  private readonly newGroupEarlyMinEvents: number;
  private readonly newGroupCheckIntervalMs: number;
  private readonly now: () => number;

  constructor(
    private readonly counts: Pick<ErrorStore, 'hourlyCounts'>,
    private readonly thresholds: Pick<
      AgentConfig['spike'],
      'minEvents' | 'minRatio'
    >,
    options: SharpErrorRiseOptions = {},
  ) {
    this.baselineHours = options.baselineHours ?? 6;
    this.checkIntervalMs = options.checkIntervalMs ?? 5 * MINUTE_MS;
    this.quietAfterSignalMs = options.quietAfterSignalMs ?? HOUR_MS;
    this.newGroupMinEvents = options.newGroupMinEvents ?? 10;
    this.newGroupEarlyMinEvents = Math.min(
      options.newGroupEarlyMinEvents ?? 5,
      this.newGroupMinEvents,
    );
    this.newGroupCheckIntervalMs = options.newGroupCheckIntervalMs ?? 1000;
    this.now = options.now ?? Date.now;
  }

  async risen(
    groups: ErrorGroupKey[],
    events?: ReadonlyMap<string, number>,
  ): Promise<string[]> {
    const now = this.now();
    this.forgetOld(now);
    const perEntity = new Map<string, number>();
    for (const group of groups) {
      const stored = events?.get(errorGroupId(group)) ?? 1;
      this.track(`group\u0000${errorGroupId(group)}`).pending += stored;
      perEntity.set(
        group.entityRef,
        (perEntity.get(group.entityRef) ?? 0) + stored,
      );
    }
    for (const [entityRef, stored] of perEntity)
      this.track(`entity\u0000${entityRef}`).pending += stored;
    const dueGroups = groups.filter(group =>
      this.due(`group\u0000${errorGroupId(group)}`, now),
    );
    const dueEntities = [...perEntity.keys()].filter(entityRef =>
      this.due(`entity\u0000${entityRef}`, now),
    );
    if (dueGroups.length === 0 && dueEntities.length === 0) return [];

    const current = Math.floor(now / HOUR_MS) * HOUR_MS;
    const counts = await this.counts.hourlyCounts({
      groups: dueGroups,
      entityRefs: dueEntities,
      since: current - this.baselineHours * HOUR_MS,
    });
    const risen = new Set<string>();
    const judge = (
      key: string,
      entityRef: string,
      hours: HourlyCounts | undefined,
      isGroup: boolean,
    ) => {
      const judged = this.judged.get(key)!;
      if (!hours) return;
      if (isGroup) judged.young = this.isYoung(hours, current);
      const count = hours.get(current) ?? 0;
      judged.lacking = Math.max(
        1,
        this.threshold(judged, hours, current) - count,
      );
      if (judged.young) {
        if (count >= this.newGroupMinEvents) {
          judged.signalledAt = now;
          judged.young = false;
          risen.add(entityRef);
        } else if (
          count >= this.newGroupEarlyMinEvents &&
          !judged.signalledEarly
        ) {
          // Still young: judged every second, to signal once more at the full count.
          judged.signalledEarly = true;
          risen.add(entityRef);
        }
      } else if (this.hasRisen(hours, current)) {
        judged.signalledAt = now;
        risen.add(entityRef);
      }
    };
    for (const group of dueGroups) {
      const id = errorGroupId(group);
      judge(`group\u0000${id}`, group.entityRef, counts.groups.get(id), true);
    }
    for (const entityRef of dueEntities) {
      judge(
        `entity\u0000${entityRef}`,
        entityRef,
        counts.entities.get(entityRef),
        false,
      );
    }
    return [...risen];
  }

  private track(key: string): Judged {
    let judged = this.judged.get(key);
    if (!judged) {
      judged = {
        checkedAt: -Infinity,
        signalledAt: -Infinity,
        pending: 0,
        lacking: 1,
      };
      this.judged.set(key, judged);
    }
    return judged;
  }

  /**
   * Whether a series is to be judged now (its interval has passed, or this instance has stored
   * as many events since the last judgement as it lacked then to signal); marks it judged.
   */
  private due(key: string, now: number): boolean {
    const judged = this.track(key);
    const interval = judged.young
      ? this.newGroupCheckIntervalMs
      : this.checkIntervalMs;
    if (now - judged.checkedAt < interval && judged.pending < judged.lacking)
      return false;
    judged.checkedAt = now;
    judged.pending = 0;
    return now - judged.signalledAt >= this.quietAfterSignalMs;
  }

  /** No events in any of the baseline hours before the current one. */
  private isYoung(hours: HourlyCounts, current: number): boolean {
    for (let h = 1; h <= this.baselineHours; h++)
      if ((hours.get(current - h * HOUR_MS) ?? 0) > 0) return false;
    return true;
  }

  private hasRisen(hours: HourlyCounts, current: number): boolean {
    return (hours.get(current) ?? 0) >= this.riseThreshold(hours, current);
  }

  /** Events the current hour needs for the series' next signal. */
  private threshold(judged: Judged, hours: HourlyCounts, current: number) {
    if (!judged.young) return this.riseThreshold(hours, current);
    return judged.signalledEarly
      ? this.newGroupMinEvents
      : this.newGroupEarlyMinEvents;
  }

  /** Events the current hour needs to be a sharp rise. */
  private riseThreshold(hours: HourlyCounts, current: number): number {
    const before: number[] = [];
    for (let h = 1; h <= this.baselineHours; h++)
      before.push(hours.get(current - h * HOUR_MS) ?? 0);
    // The median, so that one earlier burst does not raise the level a rise is measured against.
    return Math.max(
      this.thresholds.minEvents,
      this.thresholds.minRatio * Math.max(median(before), 1),
    );
  }

  /** Drops the timers of series neither judged nor signalled within the quiet time. */
  private forgetOld(now: number) {
    if (this.judged.size < 10_000) return;
    for (const [key, judged] of this.judged) {
      if (
        now - judged.checkedAt >= this.checkIntervalMs &&
        now - judged.signalledAt >= this.quietAfterSignalMs
      )
        this.judged.delete(key);
    }
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2
    ? sorted[middle]
    : (sorted[middle - 1] + sorted[middle]) / 2;
}
