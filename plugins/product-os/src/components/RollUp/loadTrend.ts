import { parseEntityRef } from '@backstage/catalog-model';
import { ProductOsApi } from '../../api';

const DAY_MS = 24 * 3600 * 1000;

/** One day of a team's or system's figures. */
export interface TrendDay {
  /** The day's start, epoch ms (UTC midnight, as the backend buckets days). */
  time: number;
  errors: number;
  deploys: number;
  incidents: number;
}

/**
 * The daily errors, deploys and incidents of the given entities over the last 90 days, added
 * up: two requests per entity (the daily error trend, which lists the window's deploys, and
 * the incidents), asked only when someone opens the chart.
 */
export async function loadTrend(
  api: ProductOsApi,
  entityRefs: string[],
): Promise<TrendDay[]> {
  const perEntity = await Promise.all(
    entityRefs.map(async ref => {
      const entity = parseEntityRef(ref);
      const [trend, incidents] = await Promise.all([
        api.getErrorTrend(entity, { window: '90d', bucket: 'day' }),
        api.getIncidents(entity, { window: '90d' }),
      ]);
      return { trend, incidents: incidents.items };
    }),
  );
  const days = new Map<number, TrendDay>();
  const day = (time: number) => {
    const start = Math.floor(time / DAY_MS) * DAY_MS;
    let found = days.get(start);
    if (!found) {
      found = { time: start, errors: 0, deploys: 0, incidents: 0 };
      days.set(start, found);
    }
    return found;
  };
  for (const { trend, incidents } of perEntity) {
    for (const point of trend.points)
      day(Date.parse(point.time)).errors += point.value;
    for (const deploy of trend.deploys)
      day(Date.parse(deploy.occurredAt)).deploys += 1;
    for (const incident of incidents)
      day(Date.parse(incident.createdAt)).incidents += 1;
  }
  return fillDays([...days.values()].sort((a, b) => a.time - b.time));
}

/** Days with nothing in them are zeros on the chart, not gaps the line jumps over. */
function fillDays(days: TrendDay[]): TrendDay[] {
  if (days.length === 0) return days;
  const filled: TrendDay[] = [];
  const byTime = new Map(days.map(d => [d.time, d]));
  for (let t = days[0].time; t <= days[days.length - 1].time; t += DAY_MS) {
    filled.push(
      byTime.get(t) ?? { time: t, errors: 0, deploys: 0, incidents: 0 },
    );
  }
  return filled;
}
