import type { ChangeKind } from '@internal/plugin-product-os-common';
import type { TimeRange } from '../TimeRange';
import { joinSql, Sql, sql } from './statement';

/** Kinds of change the timeline shows; commits are too many to be items of their own. */
export const TIMELINE_CHANGE_KINDS: ChangeKind[] = [
  'deployment',
  'pull_request',
  'release',
  'change',
];

/** The entity's changes in the window, as timeline rows (see `timelineItems`). */
export function timelineChangesSql(entityRef: string, range: TimeRange): Sql {
  const kinds = joinSql(
    TIMELINE_CHANGE_KINDS.map(kind => sql`${kind}`),
    ', ',
  );
  return sql`SELECT kind AS type, id, occurred_at AS time, title, url, NULL AS kinds
    FROM change_events
    WHERE entity_ref = ${entityRef} AND kind IN (${kinds})
      AND occurred_at >= ${range.from} AND occurred_at < ${range.to}`;
}
