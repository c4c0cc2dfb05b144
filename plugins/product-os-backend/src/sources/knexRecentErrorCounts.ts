import type { SourceId } from '@internal/plugin-product-os-common';
import type { Knex } from 'knex';
import {
  errorGroupId,
  HourlyCounts,
  RecentErrorCounts,
  RecentHourlyCounts,
} from './RecentErrorCounts';

/** Group keys or entity refs per query, so that no statement binds thousands of values. */
const KEYS_PER_QUERY = 100;

/**
 * {@link RecentErrorCounts} from the hourly error buckets (`error_buckets`, keyed by
 * `error_groups.id` and `bucket_start`). Each query reads the buckets of the named groups, or of
 * the entity's groups seen since `since` (`error_groups.last_seen`), within the window only: its
 * cost follows the groups asked about, not the amount of data stored.
 */
export function knexRecentErrorCounts(knex: Knex): RecentErrorCounts {
  return {
    async hourlyCounts({ groups, entityRefs, since }) {
      const counts: RecentHourlyCounts = {
        groups: new Map(),
        entities: new Map(),
      };
      for (const part of chunks(groups)) {
        const rows: Row[] = await knex('error_groups as g')
          .join('error_buckets as b', 'b.group_id', 'g.id')
          .whereIn(
            ['g.entity_ref', 'g.source', 'g.fingerprint'],
            part.map(group => [
              group.entityRef,
              group.source,
              group.fingerprint,
            ]),
          )
          .where('b.bucket_start', '>=', since)
          .select(
            'g.entity_ref',
            'g.source',
            'g.fingerprint',
            'b.bucket_start',
            'b.count',
          );
        for (const row of rows) {
          add(
            counts.groups,
            errorGroupId({
              entityRef: row.entity_ref,
              source: row.source,
              fingerprint: row.fingerprint,
            }),
            row,
          );
        }
      }
      for (const part of chunks(entityRefs)) {
        const rows: Row[] = await knex('error_groups as g')
          .join('error_buckets as b', 'b.group_id', 'g.id')
          .whereIn('g.entity_ref', part)
          // A group not seen since the window opened has no bucket in it.
          .where('g.last_seen', '>=', since)
          .where('b.bucket_start', '>=', since)
          .groupBy('g.entity_ref', 'b.bucket_start')
          .select('g.entity_ref', 'b.bucket_start')
          .sum({ count: 'b.count' });
        for (const row of rows) add(counts.entities, row.entity_ref, row);
      }
      return counts;
    },
  };
}

interface Row {
  entity_ref: string;
  source: SourceId;
  fingerprint: string;
  bucket_start: number | string;
  count: number | string;
}

function add(
  into: Map<string, HourlyCounts>,
  key: string,
  row: Pick<Row, 'bucket_start' | 'count'>,
) {
  let hours = into.get(key);
  if (!hours) {
    hours = new Map();
    into.set(key, hours);
  }
  // PostgreSQL returns bigints and sums as strings.
  const hour = Number(row.bucket_start);
  hours.set(hour, (hours.get(hour) ?? 0) + Number(row.count));
}

function chunks<T>(items: T[]): T[][] {
  const parts: T[][] = [];
  for (let i = 0; i < items.length; i += KEYS_PER_QUERY)
    parts.push(items.slice(i, i + KEYS_PER_QUERY));
  return parts;
}
