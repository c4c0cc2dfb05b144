import type { Knex } from 'knex';
import { readRows, Sql } from '../statement';
import { toTimelineItem } from '../timelineItems';

/** The timeline items one kind's statement gives. */
export async function asItems(knex: Knex, statement: Sql) {
  return (await readRows(knex, statement)).map(toTimelineItem);
}

/** The timeline orders items by time and kind; within one list only the set is compared. */
export function sortById<T extends { id: number }>(items: T[]): T[] {
  return [...items].sort((a, b) => a.id - b.id);
}
