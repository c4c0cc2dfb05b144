import type { Knex } from 'knex';
import type { TimeRange } from '../TimeRange';
import { num, Row } from '../rowValues';
import { chunk } from '../sql';

/** An entity's incidents that belong to a window, and how many of them are open. */
export interface IncidentCounts {
  total: number;
  open: number;
}

/**
 * Rows (`entity_ref`, `total`, `open_count`) for at most 500 entities. An incident belongs to the
 * window when it was created in it, or before it and is still open or was resolved inside it; it
 * is open when its status is not `resolved` (a reopened incident keeps the time it was first
 * resolved).
 */
export function incidentCountsQuery(
  knex: Knex,
  entityRefs: string[],
  range: TimeRange,
): Knex.QueryBuilder {
  return knex('incidents')
    .whereIn('entity_ref', entityRefs)
    .where('created_at', '<', range.to)
    .where(q =>
      q
        .where('created_at', '>=', range.from)
        .orWhereNot('status', 'resolved')
        .orWhereNull('resolved_at')
        .orWhere('resolved_at', '>=', range.from),
    )
    .groupBy('entity_ref')
    .select(
      'entity_ref',
      knex.raw('COUNT(*) AS total'),
      knex.raw(
        "SUM(CASE WHEN status <> 'resolved' THEN 1 ELSE 0 END) AS open_count",
      ),
    );
}

export function toIncidentCounts(row: Row | undefined): IncidentCounts {
  return { total: num(row?.total ?? 0), open: num(row?.open_count ?? 0) };
}

/** Counted in SQL, one statement per 500 entities; an entity without incidents is absent. */
export async function incidentCounts(
  knex: Knex,
  entityRefs: string[],
  range: TimeRange,
): Promise<Map<string, IncidentCounts>> {
  const counts = new Map<string, IncidentCounts>();
  for (const refs of chunk(entityRefs, 1)) {
    for (const row of await incidentCountsQuery(knex, refs, range)) {
      counts.set(row.entity_ref, toIncidentCounts(row));
    }
  }
  return counts;
}
