import { WAITING_FOR_A_PERSON } from '@internal/plugin-product-os-common';
import type { Knex } from 'knex';
import { num, Row } from '../rowValues';
import { inList, joinSql, readRows, Sql, sql } from './statement';

/** An entity's open diagnoses, and how many of them wait for a person. */
export interface OpenDiagnosisCounts {
  open: number;
  /** Open and `needs_human` or `actionable` ({@link WAITING_FOR_A_PERSON}). */
  waitingForAPerson: number;
}

/** Rows (`entity_ref`, `open_count`, `waiting_count`), one statement for any number of entities. */
export function openDiagnosisCountsSql(
  knex: Knex,
  entityRefs: readonly string[],
): Sql {
  const waiting = joinSql(
    [...WAITING_FOR_A_PERSON].map(a => sql`${a}`),
    ', ',
  );
  return sql`SELECT entity_ref, COUNT(*) AS open_count,
      SUM(CASE WHEN actionability IN (${waiting}) THEN 1 ELSE 0 END) AS waiting_count
    FROM diagnoses
    WHERE ${inList(knex, 'entity_ref', entityRefs)} AND status = 'open'
    GROUP BY entity_ref`;
}

export function toOpenDiagnosisCounts(
  row: Row | undefined,
): OpenDiagnosisCounts {
  return {
    open: num(row?.open_count ?? 0),
    waitingForAPerson: num(row?.waiting_count ?? 0),
  };
}

/** Counted in SQL, one statement; an entity without open diagnoses is absent. */
export async function openDiagnosisCounts(
  knex: Knex,
  entityRefs: string[],
): Promise<Map<string, OpenDiagnosisCounts>> {
  const counts = new Map<string, OpenDiagnosisCounts>();
  if (entityRefs.length === 0) return counts;
  for (const row of await readRows(
    knex,
    openDiagnosisCountsSql(knex, entityRefs),
  )) {
    counts.set(row.entity_ref, toOpenDiagnosisCounts(row));
  }
  return counts;
}
