import type { HogQLQuery } from './PostHogQueryClient';

/*
 * The two HogQL queries of the pull. Nothing from an annotation is ever written into the query
 * text: metric names travel as the `values` of the `HogQLQuery` and are referenced with
 * `{placeholders}`, which PostHog substitutes as constants (a name like `x' OR 1=1 --` is just
 * an event name nobody sent). Only numbers this module computes (times, limits, offsets) are
 * part of the text.
 *
 * Hours are taken from the Unix time, not from `toStartOfHour(timestamp)`, which would give the
 * hours of the project's time zone (not UTC ones in zones with a half-hour offset).
 */

/** Rows per page of counts: PostHog returns up to 50,000 rows with an explicit `LIMIT`. */
export const COUNT_ROWS_PER_PAGE = 10_000;

/** Exceptions per page: their properties carry stack traces, so pages stay small. */
export const EXCEPTIONS_PER_PAGE = 500;

/** A range of time, epoch ms, start included. */
export interface TimeWindow {
  from: number;
  to: number;
}

const seconds = (ms: number) => Math.floor(ms / 1000);

/**
 * Events and distinct users per metric and hour: rows of
 * `[event, hour (Unix seconds), events, users]`, oldest hour first.
 */
export function metricCountsQuery(
  metrics: string[],
  window: TimeWindow,
  offset: number,
): HogQLQuery {
  return {
    kind: 'HogQLQuery',
    query: [
      'SELECT event, intDiv(toUnixTimestamp(timestamp), 3600) * 3600 AS hour,',
      '  count() AS events, count(DISTINCT distinct_id) AS users',
      'FROM events',
      'WHERE event IN {metrics}',
      '  AND timestamp >= fromUnixTimestamp({from})',
      '  AND timestamp < fromUnixTimestamp({to})',
      'GROUP BY event, hour',
      'ORDER BY hour, event',
      `LIMIT ${COUNT_ROWS_PER_PAGE} OFFSET ${Math.max(0, Math.floor(offset))}`,
    ].join('\n'),
    values: {
      metrics,
      from: seconds(window.from),
      to: seconds(window.to),
    },
  };
}

/**
 * `$exception` events, oldest first: rows of `[uuid, timestamp (epoch ms), distinct_id,
 * properties (JSON)]`.
 */
export function exceptionsQuery(
  window: TimeWindow,
  offset: number,
  limit = EXCEPTIONS_PER_PAGE,
): HogQLQuery {
  return {
    kind: 'HogQLQuery',
    query: [
      'SELECT uuid, toUnixTimestamp64Milli(timestamp) AS ts, distinct_id, properties',
      'FROM events',
      "WHERE event = '$exception'",
      '  AND timestamp >= fromUnixTimestamp({from})',
      '  AND timestamp < fromUnixTimestamp({to})',
      'ORDER BY timestamp, uuid',
      `LIMIT ${Math.max(1, Math.floor(limit))} OFFSET ${Math.max(
        0,
        Math.floor(offset),
      )}`,
    ].join('\n'),
    values: { from: seconds(window.from), to: seconds(window.to) },
  };
}
