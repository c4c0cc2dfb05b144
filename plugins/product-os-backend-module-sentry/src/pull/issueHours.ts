import type { SentryApi } from './SentryApi';
import type { ApiIssue, ApiTimeseries } from './apiTypes';

const HOUR_MS = 3_600_000;
/** Series per request: `topEvents` is at most 10. */
const ISSUES_PER_SERIES = 10;

export type Hours = Array<{ bucketStart: number; count: number }>;

/**
 * Hourly event counts of issues from `from` on. When the window lies within the last day they
 * come with the issue list (`stats.24h`, 24 hourly buckets) at no extra request; a longer window
 * (the first back-fill, or a pull after an outage) asks `events-timeseries` for hourly series of
 * up to ten issues at a time. An hour Sentry does not report stays a gap.
 */
export async function issueHours(
  api: SentryApi,
  organization: string,
  issues: ApiIssue[],
  window: { from: number; to: number },
): Promise<Map<string, Hours>> {
  const byIssue = new Map<string, Hours>();
  if (window.to - window.from <= 23 * HOUR_MS) {
    for (const issue of issues) {
      byIssue.set(
        issue.id,
        (issue.stats?.['24h'] ?? [])
          .map(([seconds, count]) => ({ bucketStart: seconds * 1000, count }))
          .filter(hour => hour.bucketStart >= window.from),
      );
    }
    return byIssue;
  }
  for (let i = 0; i < issues.length; i += ISSUES_PER_SERIES) {
    const batch = issues.slice(i, i + ISSUES_PER_SERIES);
    const answer = await api.get<ApiTimeseries>(
      `/organizations/${encodeURIComponent(organization)}/events-timeseries/`,
      {
        dataset: 'errors',
        yAxis: 'count()',
        interval: 3600,
        groupBy: ['issue.id'],
        topEvents: batch.length,
        sort: '-count()',
        excludeOther: '1',
        project: [...new Set(batch.map(issue => issue.project.id))],
        query: `issue.id:[${batch.map(issue => issue.id).join(',')}]`,
        start: new Date(window.from).toISOString(),
        end: new Date(window.to).toISOString(),
      },
    );
    for (const series of answer.timeSeries) {
      const id = series.groupBy?.find(group => group.key === 'issue.id')?.value;
      if (id === undefined || id === null) continue;
      byIssue.set(
        String(id),
        series.values.map(point => ({
          bucketStart: point.timestamp,
          count: Math.round(point.value),
        })),
      );
    }
  }
  return byIssue;
}
