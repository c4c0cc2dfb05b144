import { WAITING_FOR_A_PERSON } from '@internal/plugin-product-os-common';
import type { Knex } from 'knex';
import { num, Row } from '../rowValues';
import { chunk } from '../sql';

/** An entity's open diagnoses, and how many of them wait for a person. */
export interface OpenDiagnosisCounts {
  open: number;
  /** Open and `needs_human` or `actionable` ({@link WAITING_FOR_A_PERSON}). */
  waitingForAPerson: number;
}

/** Rows (`entity_ref`, `open_count`, `waiting_count`) for at most 500 entities. */
export function openDiagnosisCountsQuery(
  knex: Knex,
  entityRefs: string[],
): Knex.QueryBuilder {
  const waiting = [...WAITING_FOR_A_PERSON];
  return knex('diagnoses')
    .whereIn('entity_ref', entityRefs)
    .where('status', 'open')
    .groupBy('entity_ref')
    .select(
      'entity_ref',
      knex.raw('COUNT(*) AS open_count'),
      knex.raw(
        `SUM(CASE WHEN actionability IN (${waiting
          .map(() => '?')
          .join(', ')}) THEN 1 ELSE 0 END) AS waiting_count`,
        waiting,
      ),
    );
}

export function toOpenDiagnosisCounts(
  row: Row | undefined,
): OpenDiagnosisCounts {
  return {
    open: num(row?.open_count ?? 0),
    waitingForAPerson: num(row?.waiting_count ?? 0),
  };
}

/** Counted in SQL, one statement per 500 entities; an entity without open diagnoses is absent. */
export async function openDiagnosisCounts(
  knex: Knex,
  entityRefs: string[],
): Promise<Map<string, OpenDiagnosisCounts>> {
  const counts = new Map<string, OpenDiagnosisCounts>();
  for (const refs of chunk(entityRefs, 1)) {
    for (const row of await openDiagnosisCountsQuery(knex, refs)) {
      counts.set(row.entity_ref, toOpenDiagnosisCounts(row));
    }
  }
  return counts;
}
