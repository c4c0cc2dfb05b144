import { WAITING_FOR_A_PERSON } from '@internal/plugin-product-os-common';
import type { Knex } from 'knex';
import { num } from '../rowValues';
import { chunk } from '../sql';

/** An entity's open diagnoses, and how many of them wait for a person. */
export interface OpenDiagnosisCounts {
  open: number;
  /** Open and `needs_human` or `actionable` ({@link WAITING_FOR_A_PERSON}). */
  waitingForAPerson: number;
}

/** Counted in SQL, one statement per 500 entities; an entity without open diagnoses is absent. */
export async function openDiagnosisCounts(
  knex: Knex,
  entityRefs: string[],
): Promise<Map<string, OpenDiagnosisCounts>> {
  const counts = new Map<string, OpenDiagnosisCounts>();
  const waiting = [...WAITING_FOR_A_PERSON];
  for (const refs of chunk(entityRefs, 1)) {
    const rows = await knex('diagnoses')
      .whereIn('entity_ref', refs)
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
    for (const row of rows) {
      counts.set(row.entity_ref, {
        open: num(row.open_count),
        waitingForAPerson: num(row.waiting_count),
      });
    }
  }
  return counts;
}
