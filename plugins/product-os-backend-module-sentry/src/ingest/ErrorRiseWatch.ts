const HOUR_MS = 60 * 60_000;

/** When a rise counts as sharp. */
export interface ErrorRiseThresholds {
  /** Complete hours before the current one whose median is the recent level. Default 6. */
  baselineHours: number;
  /** The current hour, so far, must reach this many times the recent level. Default 3. */
  minRatio: number;
  /** ...and hold at least this many events, so a trickle is never a rise. Default 20. */
  minEvents: number;
  /** A group or an entity is judged at most this often. Default 5 minutes. */
  checkIntervalMs: number;
  /** After a signal the same group or entity stays quiet this long. Default 1 hour. */
  quietAfterSignalMs: number;
}

const DEFAULTS: ErrorRiseThresholds = {
  baselineHours: 6,
  minRatio: 3,
  minEvents: 20,
  checkIntervalMs: 5 * 60_000,
  quietAfterSignalMs: HOUR_MS,
};

/** What the watch needs of a stored event. */
export interface WatchedEvent {
  entityRef: string;
  source: string;
  fingerprint: string;
  timestamp: number;
}

interface Series {
  entityRef: string;
  /** Events per hour, by the hour's start. */
  hours: Map<number, number>;
  checkedAt: number;
  signalledAt: number;
}

/**
 * Notices a sharp rise of errors as they are stored, so that the diagnosis agent looks at once
 * rather than at its next scheduled run: for each error group and for each entity's total, the
 * count of the current hour so far against the median of the hours before it.
 *
 * The counts are those of the events this backend instance stored, kept in memory: sources only
 * write to the store, and a read per delivery is what this must not cost. Behind a load balancer
 * each instance sees its share of every project's events, so the ratio to the recent level holds
 * (the minimum count applies to the share). An instance judges nothing until it has watched the
 * whole baseline, so a restart cannot mistake the first hour's events for a rise.
 */
export class ErrorRiseWatch {
  private readonly series = new Map<string, Series>();
  private readonly thresholds: ErrorRiseThresholds;
  private readonly startedAt: number;
  private prunedAt: number;

  constructor(
    private readonly now: () => number = Date.now,
    thresholds: Partial<ErrorRiseThresholds> = {},
  ) {
    this.thresholds = { ...DEFAULTS, ...thresholds };
    this.startedAt = now();
    this.prunedAt = this.startedAt;
  }

  /**
   * Counts stored events and returns the entities whose errors, of one group or in total, rose
   * sharply. `share` is the part of the events that was stored (the rest were redeliveries).
   */
  record(events: WatchedEvent[], share = 1): string[] {
    const now = this.now();
    const current = hourOf(now);
    const oldest = current - this.thresholds.baselineHours * HOUR_MS;
    const touched = new Set<Series>();
    for (const event of events) {
      const hour = hourOf(Math.min(event.timestamp, now));
      if (hour < oldest) continue;
      for (const key of [
        `entity\u0000${event.entityRef}`,
        `group\u0000${event.entityRef}\u0000${event.source}\u0000${event.fingerprint}`,
      ]) {
        const series = this.seriesOf(key, event.entityRef);
        series.hours.set(hour, (series.hours.get(hour) ?? 0) + share);
        touched.add(series);
      }
    }
    this.prune(now, oldest);
    if (this.startedAt > oldest) return [];

    const risen = new Set<string>();
    for (const series of touched) {
      if (now - series.checkedAt < this.thresholds.checkIntervalMs) continue;
      series.checkedAt = now;
      if (now - series.signalledAt < this.thresholds.quietAfterSignalMs)
        continue;
      if (this.hasRisen(series, current)) {
        series.signalledAt = now;
        risen.add(series.entityRef);
      }
    }
    return [...risen];
  }

  private hasRisen(series: Series, current: number): boolean {
    const { baselineHours, minRatio, minEvents } = this.thresholds;
    const count = series.hours.get(current) ?? 0;
    if (count < minEvents) return false;
    const before: number[] = [];
    for (let h = 1; h <= baselineHours; h++) {
      before.push(series.hours.get(current - h * HOUR_MS) ?? 0);
    }
    // The median, so that one earlier burst does not raise the level a rise is measured against.
    const level = median(before);
    return count >= minRatio * Math.max(level, 1);
  }

  private seriesOf(key: string, entityRef: string): Series {
    let series = this.series.get(key);
    if (!series) {
      series = {
        entityRef,
        hours: new Map(),
        checkedAt: -Infinity,
        signalledAt: -Infinity,
      };
      this.series.set(key, series);
    }
    return series;
  }

  /** Forgets hours older than the baseline, and series left with none, every few minutes. */
  private prune(now: number, oldest: number) {
    if (now - this.prunedAt < this.thresholds.checkIntervalMs) return;
    this.prunedAt = now;
    for (const [key, series] of this.series) {
      for (const hour of series.hours.keys()) {
        if (hour < oldest) series.hours.delete(hour);
      }
      if (series.hours.size === 0) this.series.delete(key);
    }
  }
}

function hourOf(time: number): number {
  return Math.floor(time / HOUR_MS) * HOUR_MS;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2
    ? sorted[middle]
    : (sorted[middle - 1] + sorted[middle]) / 2;
}
