import { Knex } from 'knex';
import type {
  ErrorCountsInput,
  ErrorGroupKey,
} from '@internal/plugin-product-os-node';
import { yieldToEventLoop } from '@internal/plugin-product-os-node';
import { bucketStart, HOUR_MS } from '../../time';
import { fitErrorCounts } from '../fitInputs';
import { insertRows } from '../ingest/insertRows';
import { num, Row } from '../rowValues';
import { chunk, SqlDialect } from '../sql';
import { recountErrorDays } from './errorDays';

/** A stored group that pulled counts go to, with its hours as the pull reports them. */
interface CountedGroup {
  id: number;
  key: ErrorGroupKey;
  /** Count by hour start; only hours the pull counted events in. */
  hours: Map<number, number>;
  total?: number;
  lastSeen?: number;
}

/**
 * Records error groups' hourly counts as their source counted them (see
 * `IngestWriter.recordErrorCounts`): each hour keeps the events pushed (`pushed`) and the largest
 * pulled count (`pulled`) apart and reads as the larger (`count`, what every read sums). Only hours
 * whose pulled count rises are written, so a pull repeated without news writes nothing; the
 * upsert takes the larger value in SQL, so events pushed by a concurrent transaction are not lost.
 */
export async function recordErrorCounts(
  tx: Knex.Transaction,
  sql: SqlDialect,
  input: ErrorCountsInput[],
): Promise<{ raised: ErrorGroupKey[]; unknownGroups: ErrorGroupKey[] }> {
  const wanted = new Map<string, ErrorCountsInput>();
  for (const counts of input.map(fitErrorCounts)) {
    const k = keyOf(counts);
    const before = wanted.get(k);
    wanted.set(k, before ? merge(before, counts) : counts);
  }
  const ids = await groupIds(tx, [...wanted.values()]);
  const groups: CountedGroup[] = [];
  const unknownGroups: ErrorGroupKey[] = [];
  for (const [k, counts] of wanted) {
    const key = {
      entityRef: counts.entityRef,
      source: counts.source,
      fingerprint: counts.fingerprint,
    };
    const id = ids.get(k);
    if (id === undefined) {
      unknownGroups.push(key);
      continue;
    }
    const hours = new Map<number, number>();
    for (const hour of counts.hours) {
      // A zero adds nothing to a stored hour and is not worth a row where none is stored.
      if (hour.count <= 0) continue;
      const start = bucketStart(hour.bucketStart, HOUR_MS);
      hours.set(start, Math.max(hours.get(start) ?? 0, hour.count));
    }
    groups.push({
      id,
      key,
      hours,
      total: counts.total,
      lastSeen: counts.lastSeen,
    });
  }

  const raised = await writeHours(tx, sql, groups);
  await updateGroups(tx, sql, groups);
  return { raised, unknownGroups };
}

/** Writes the hours whose pulled count rises; returns the groups an hour of which reads higher. */
async function writeHours(
  tx: Knex.Transaction,
  sql: SqlDialect,
  groups: CountedGroup[],
): Promise<ErrorGroupKey[]> {
  const stored = await storedHours(tx, groups);
  const rows: number[][] = [];
  const raised: ErrorGroupKey[] = [];
  for (const group of groups) {
    let rose = false;
    for (const [start, count] of group.hours) {
      const hour = stored.get(`${group.id}:${start}`);
      if (hour && count <= (hour.pulled ?? 0)) continue;
      rows.push([group.id, start, count, 0, 0, count]);
      if (count > (hour?.count ?? 0)) rose = true;
    }
    if (rose) raised.push(group.key);
  }
  const pulled = sql
    .greatest('COALESCE(error_buckets.pulled, 0)', 'excluded.pulled')
    .toQuery();
  for (const [index, part] of chunk(rows, 6).entries()) {
    if (index > 0) await yieldToEventLoop();
    await insertRows(
      tx,
      'error_buckets',
      ['group_id', 'bucket_start', 'count', 'pushed', 'users', 'pulled'],
      part,
      `on conflict ("group_id", "bucket_start") do update set
        "pulled" = ${pulled},
        "count" = ${sql.greatest('error_buckets.pushed', pulled).toQuery()}`,
    );
  }
  // The daily rollup follows the hours it sums (see `errorDays.ts`).
  await recountErrorDays(
    tx,
    rows.map(([groupId, start]) => [groupId, start] as const),
  );
  return raised;
}

/** The stored hours of the groups within the range the pull counted. */
async function storedHours(
  tx: Knex.Transaction,
  groups: CountedGroup[],
): Promise<Map<string, { count: number; pulled?: number }>> {
  const byHour = new Map<string, { count: number; pulled?: number }>();
  const counted = groups.filter(group => group.hours.size > 0);
  for (const part of chunk(counted, 1)) {
    const starts = part.flatMap(group => [...group.hours.keys()]);
    const rows: Row[] = await tx('error_buckets')
      .whereIn(
        'group_id',
        part.map(group => group.id),
      )
      .where('bucket_start', '>=', Math.min(...starts))
      .where('bucket_start', '<=', Math.max(...starts))
      .select('group_id', 'bucket_start', 'count', 'pulled');
    for (const row of rows) {
      byHour.set(`${num(row.group_id)}:${num(row.bucket_start)}`, {
        count: num(row.count),
        pulled: row.pulled === null ? undefined : num(row.pulled),
      });
    }
  }
  return byHour;
}

/** A group's total and last seen only ever grow: a pull never lowers what pushes counted. */
async function updateGroups(
  tx: Knex.Transaction,
  sql: SqlDialect,
  groups: CountedGroup[],
) {
  for (const group of groups) {
    const patch: Record<string, Knex.Raw> = {};
    if (group.total !== undefined)
      patch.event_count = sql.greatest('event_count', String(group.total));
    if (group.lastSeen !== undefined)
      patch.last_seen = sql.greatest('last_seen', String(group.lastSeen));
    if (Object.keys(patch).length === 0) continue;
    await tx('error_groups').where({ id: group.id }).update(patch);
  }
}

/** The ids of the stored groups, by `keyOf`. */
async function groupIds(
  tx: Knex.Transaction,
  counts: ErrorCountsInput[],
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const part of chunk(counts, 3)) {
    const rows: Row[] = await tx('error_groups')
      .whereIn(
        ['entity_ref', 'source', 'fingerprint'],
        part.map(c => [c.entityRef, c.source, c.fingerprint]),
      )
      .select('id', 'entity_ref', 'source', 'fingerprint');
    for (const row of rows) {
      ids.set(
        keyOf({
          entityRef: row.entity_ref,
          source: row.source,
          fingerprint: row.fingerprint,
        }),
        num(row.id),
      );
    }
  }
  return ids;
}

function merge(a: ErrorCountsInput, b: ErrorCountsInput): ErrorCountsInput {
  const larger = (x?: number, y?: number) => {
    if (x === undefined) return y;
    if (y === undefined) return x;
    return Math.max(x, y);
  };
  return {
    ...a,
    hours: [...a.hours, ...b.hours],
    total: larger(a.total, b.total),
    lastSeen: larger(a.lastSeen, b.lastSeen),
  };
}

function keyOf(group: {
  entityRef: string;
  source: string;
  fingerprint: string;
}): string {
  return JSON.stringify([group.entityRef, group.source, group.fingerprint]);
}
