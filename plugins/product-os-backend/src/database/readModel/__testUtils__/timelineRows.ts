import type { Knex } from 'knex';
import type { Row } from '../../rowValues';
import { toTimelineItem } from '../timelineItems';

/** The timeline items one kind's query gives. */
export async function asItems(query: Knex.QueryBuilder) {
  const rows: Row[] = await query;
  return rows.map(toTimelineItem);
}

/** The timeline orders items by time and kind; within one list only the set is compared. */
export function sortById<T extends { id: number }>(items: T[]): T[] {
  return [...items].sort((a, b) => a.id - b.id);
}
