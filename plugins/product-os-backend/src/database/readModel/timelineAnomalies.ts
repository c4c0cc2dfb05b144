import type { TimelineItem } from '@internal/plugin-product-os-common';
import type { Knex } from 'knex';
import type { TimeRange } from '../TimeRange';
import { iso, num, parseJson, Row } from '../rowValues';

/** The entity's anomalies with an onset in the window as timeline items, newest first. */
export async function timelineAnomalies(
  knex: Knex,
  entityRef: string,
  range: TimeRange,
): Promise<TimelineItem[]> {
  const rows: Row[] = await knex('anomalies')
    .where('entity_ref', entityRef)
    .where('onset_at', '>=', range.from)
    .where('onset_at', '<', range.to)
    .select('id', 'onset_at', 'kinds')
    .orderBy([
      { column: 'onset_at', order: 'desc' },
      { column: 'id', order: 'asc' },
    ]);
  return rows.map(row => ({
    type: 'anomaly' as const,
    id: num(row.id),
    time: iso(row.onset_at),
    title: `Anomaly: ${parseJson<string[]>(row.kinds, []).join(', ')}`,
  }));
}
