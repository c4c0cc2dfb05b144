import type { Knex } from 'knex';
import type { TimeRange } from '../TimeRange';
import { num, Row } from '../rowValues';
import { inList, readRows, Sql, sql } from './statement';

/** An entity's incidents that belong to a window, and how many of them are open. */
export interface IncidentCounts {
  total: number;
  open: number;
}

/**
 * Rows (`entity_ref`, `total`, `open_count`), one statement of the same text for any number of
 * entities. An incident belongs to the window when it was created in it, or before it and is
 * still open or was resolved inside it; it is open when its status is not `resolved` (a reopened
 * incident keeps the time it was first resolved).
 */
export function incidentCountsSql(
  knex: Knex,
  entityRefs: readonly string[],
  range: TimeRange,
): Sql {
  return sql`SELECT entity_ref, COUNT(*) AS total,
      SUM(CASE WHEN status <> 'resolved' THEN 1 ELSE 0 END) AS open_count
    FROM incidents
    WHERE ${inList(knex, 'entity_ref', entityRefs)}
      AND created_at < ${range.to}
      AND (created_at >= ${range.from} OR status <> 'resolved'
        OR resolved_at IS NULL OR resolved_at >= ${range.from})
    GROUP BY entity_ref`;
}

export function toIncidentCounts(row: Row | undefined): IncidentCounts {
  return { total: num(row?.total ?? 0), open: num(row?.open_count ?? 0) };
}

/** Counted in SQL, one statement; an entity without incidents is absent. */
export async function incidentCounts(
  knex: Knex,
  entityRefs: string[],
  range: TimeRange,
): Promise<Map<string, IncidentCounts>> {
  const counts = new Map<string, IncidentCounts>();
  if (entityRefs.length === 0) return counts;
  for (const row of await readRows(
    knex,
    incidentCountsSql(knex, entityRefs, range),
  )) {
    counts.set(row.entity_ref, toIncidentCounts(row));
  }
  return counts;
}
