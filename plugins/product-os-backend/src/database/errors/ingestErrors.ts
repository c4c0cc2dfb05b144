import { Knex } from 'knex';
import type {
  ErrorCountsInput,
  ErrorEventInput,
  ErrorGroupKey,
  ErrorGroupStatusInput,
  IngestWriter,
} from '@internal/plugin-product-os-node';
import {
  forEachSlice,
  yieldToEventLoop,
} from '@internal/plugin-product-os-node';
import { bucketStart, HOUR_MS } from '../../time';
import {
  fitErrorEvent,
  fitErrorGroupStatus,
  FittedErrorEvent,
} from '../fitInputs';
import { num, Row } from '../rowValues';
import { insertRows } from '../ingest/insertRows';
import { namedRaw } from '../namedStatements';
import { chunk, SqlDialect } from '../sql';
import { recordErrorCounts } from './ingestErrorCounts';
import { placeInRing, StoredSample } from './sampleRing';
import { recountErrorDays } from './errorDays';

/** Error events fitted to their columns between two turns of the event loop. */
const ERROR_EVENTS_PER_FIT = 25;
/** Rows per error-event statement at most (a few to 13 parameters each). */
const ERROR_ROWS_PER_STATEMENT = 100;
/**
 * Characters of JSON (event payloads, stack frames) per error-event statement at most: a sample
 * payload may be 1 MiB of JSON, and 100 of them in one statement would be one long step.
 */
const ERROR_JSON_CHARS_PER_STATEMENT = 1_048_576;

/** The columns of an error group row as a delivery writes it, in the order of its values. */
const GROUP_COLUMNS = [
  'entity_ref',
  'source',
  'fingerprint',
  'title',
  'culprit',
  'level',
  'status',
  'first_seen',
  'last_seen',
  'first_release',
  'top_frames',
  'permalink',
  'event_count',
] as const;

/** The columns of a sampled event, in the order of its values. */
const SAMPLE_COLUMNS = [
  'group_id',
  'slot',
  'source',
  'event_id',
  'timestamp',
  'release',
  'environment',
  'payload',
] as const;

/** The error writes of one delivery, inside the transaction `tx`. */
export class ErrorIngest
  implements
    Pick<
      IngestWriter,
      'recordErrorEvents' | 'recordErrorCounts' | 'updateErrorGroupStatus'
    >
{
  constructor(
    private readonly tx: Knex.Transaction,
    private readonly sql: SqlDialect,
    private readonly sampleSize: number,
  ) {}

  /** Error-event statements run so far; every one after the first waits for a turn. */
  private errorStatements = 0;

  /*
   * Error events are written for all their groups at once: a few multi-row statements per step
   * (claim the ids, upsert the groups, count the buckets, add to the samples) however many groups
   * a delivery touches, so that a source batching many events into one transaction pays for the
   * batch, not for every group in it. Nothing holds the event loop for the whole batch (SQLite's
   * driver is synchronous): events are fitted in slices, statements hold a bounded number of rows
   * (and of payload characters), and the loop gets a turn between slices and between statements.
   */
  async recordErrorEvents(input: ErrorEventInput[]) {
    const events: FittedErrorEvent[] = [];
    await forEachSlice(input, ERROR_EVENTS_PER_FIT, slice => {
      for (const event of slice) events.push(fitErrorEvent(event));
    });
    const fresh = await this.claimEventIds(events);
    if (fresh.length === 0)
      return { stored: 0, duplicates: events.length, newGroups: [] };

    const byKey = new Map<string, FittedErrorEvent[]>();
    for (const event of fresh) {
      const key = groupKey(event);
      const list = byKey.get(key) ?? [];
      list.push(event);
      byKey.set(key, list);
    }
    // In key order, so that concurrent transactions lock the groups they share in the same order.
    const groups: PendingGroup[] = [...byKey.keys()].sort().map(key => ({
      key,
      events: byKey.get(key)!.sort((a, b) => a.timestamp - b.timestamp),
      id: 0,
      eventCount: 0,
    }));

    await this.upsertErrorGroups(groups);
    await this.markRegressions(groups);
    await this.addToBuckets(groups);
    await this.beforeErrorStatement();
    await recountErrorDays(
      this.tx,
      groups.flatMap(group =>
        group.events.map(e => [group.id, e.timestamp] as const),
      ),
    );
    await this.addToSample(groups);

    // Every group is created by its first events, so a count of exactly these events means the
    // insert happened rather than the merge.
    const newGroups: ErrorGroupKey[] = groups
      .filter(group => group.eventCount === group.events.length)
      .map(({ events: [{ entityRef, source, fingerprint }] }) => ({
        entityRef,
        source,
        fingerprint,
      }));
    return {
      stored: fresh.length,
      duplicates: events.length - fresh.length,
      newGroups,
    };
  }

  /** Returns the events whose ids were not seen before, and remembers them. */
  private async claimEventIds(
    events: FittedErrorEvent[],
  ): Promise<FittedErrorEvent[]> {
    const unique = new Map<string, FittedErrorEvent>();
    for (const event of events)
      unique.set(`${event.source}\u0000${event.eventId}`, event);
    const now = Date.now();
    const claimed = new Set<string>();
    for (const part of statementParts([...unique.values()], 3)) {
      await this.beforeErrorStatement();
      const rows = await insertRows(
        this.tx,
        'error_event_ids',
        ['source', 'event_id', 'received_at'],
        part.map(e => [e.source, e.eventId, now]),
        'on conflict ("source", "event_id") do nothing returning "source", "event_id"',
      );
      for (const row of rows) claimed.add(`${row.source}\u0000${row.event_id}`);
    }
    return [...unique.entries()]
      .filter(([key]) => claimed.has(key))
      .map(([, e]) => e);
  }

  /** Upserts the groups and sets each one's `id` and stored `eventCount`. */
  private async upsertErrorGroups(groups: PendingGroup[]) {
    const byKey = new Map(groups.map(group => [group.key, group]));
    const rows = groups.map(({ events }) => {
      const first = events[0];
      const last = events[events.length - 1];
      return [
        first.entityRef,
        first.source,
        first.fingerprint,
        last.title,
        last.culprit ?? null,
        last.level,
        'unresolved',
        first.timestamp,
        last.timestamp,
        first.release ?? null,
        last.topFramesJson,
        last.permalink ?? null,
        events.length,
      ];
    });
    for (const part of statementParts(
      rows,
      GROUP_COLUMNS.length,
      row => (row[10] as string).length,
    )) {
      await this.beforeErrorStatement();
      const returned = await insertRows(
        this.tx,
        'error_groups',
        GROUP_COLUMNS,
        part,
        this.groupMerge,
      );
      for (const row of returned) {
        const group = byKey.get(
          groupKey({
            entityRef: row.entity_ref,
            source: row.source,
            fingerprint: row.fingerprint,
          }),
        )!;
        group.id = num(row.id);
        group.eventCount = num(row.event_count);
        if (row.status === 'resolved' && row.resolved_at !== null) {
          group.resolvedAt = num(row.resolved_at);
        }
      }
    }
  }

  /**
   * Events can arrive late (an offline client, a retried envelope): the group reads as its
   * newest event, and its first release is that of its earliest event. The status comes back
   * too, so regressions need no query of their own.
   */
  private get groupMerge(): string {
    return memoized(this.sql, 'groupMerge', () => this.spellGroupMerge());
  }

  private spellGroupMerge(): string {
    const fromNewest = (column: string) =>
      `"${column}" = CASE WHEN excluded.last_seen >= error_groups.last_seen THEN excluded.${column} ELSE error_groups.${column} END`;
    return `on conflict ("entity_ref", "source", "fingerprint") do update set
      ${['title', 'culprit', 'level', 'top_frames'].map(fromNewest).join(', ')},
      "first_seen" = ${this.sql
        .least('error_groups.first_seen', 'excluded.first_seen')
        .toQuery()},
      "last_seen" = ${this.sql
        .greatest('error_groups.last_seen', 'excluded.last_seen')
        .toQuery()},
      "event_count" = error_groups.event_count + excluded.event_count,
      "permalink" = COALESCE(excluded.permalink, error_groups.permalink),
      "first_release" = CASE WHEN excluded.first_seen < error_groups.first_seen
          AND excluded.first_release IS NOT NULL
        THEN excluded.first_release
        ELSE COALESCE(error_groups.first_release, excluded.first_release) END
      returning "id", "entity_ref", "source", "fingerprint", "event_count", "status", "resolved_at"`;
  }

  /**
   * An event after a group was resolved brings it back: a regression, which began with the
   * first such event (not the newest of this delivery).
   */
  private async markRegressions(groups: PendingGroup[]) {
    for (const group of groups) {
      if (group.resolvedAt === undefined) continue;
      const back = group.events.find(
        event => event.timestamp > group.resolvedAt!,
      );
      if (back) {
        await this.beforeErrorStatement();
        await this.tx('error_groups')
          .where({ id: group.id })
          .update({ status: 'unresolved', regressed_at: back.timestamp });
      }
    }
  }

  private async addToBuckets(groups: PendingGroup[]) {
    const counts = new Map<
      string,
      { group_id: number; bucket_start: number; count: number }
    >();
    const users = new Map<string, [number, number, string]>();
    for (const group of groups) {
      for (const event of group.events) {
        const start = bucketStart(event.timestamp, HOUR_MS);
        const key = `${group.id}:${start}`;
        const bucket = counts.get(key) ?? {
          group_id: group.id,
          bucket_start: start,
          count: 0,
        };
        bucket.count += 1;
        counts.set(key, bucket);
        if (event.userKey) {
          users.set(`${key}:${event.userKey}`, [
            group.id,
            start,
            event.userKey,
          ]);
        }
      }
    }
    const newUsers = new Map<string, number>();
    for (const part of statementParts([...users.values()], 3)) {
      await this.beforeErrorStatement();
      const inserted = await insertRows(
        this.tx,
        'error_users',
        ['group_id', 'bucket_start', 'user_key'],
        part,
        'on conflict ("group_id", "bucket_start", "user_key") do nothing returning "group_id", "bucket_start"',
      );
      for (const row of inserted) {
        const key = `${num(row.group_id)}:${num(row.bucket_start)}`;
        newUsers.set(key, (newUsers.get(key) ?? 0) + 1);
      }
    }
    const rows = [...counts].map(([key, bucket]) => [
      bucket.group_id,
      bucket.bucket_start,
      bucket.count,
      bucket.count,
      newUsers.get(key) ?? 0,
    ]);
    // An hour reads as the larger of the events pushed and the count a pull reported
    // (`recordErrorCounts`), so an event that arrives both ways is counted once.
    const pushed = 'error_buckets.pushed + excluded.pushed';
    for (const part of statementParts(rows, 5)) {
      await this.beforeErrorStatement();
      await insertRows(
        this.tx,
        'error_buckets',
        ['group_id', 'bucket_start', 'count', 'pushed', 'users'],
        part,
        memoized(
          this.sql,
          'bucketMerge',
          () => `on conflict ("group_id", "bucket_start") do update set
          "pushed" = ${pushed},
          "count" = ${this.sql
            .greatest(pushed, 'COALESCE(error_buckets.pulled, 0)')
            .toQuery()},
          "users" = error_buckets.users + excluded.users`,
        ),
      );
    }
  }

  /**
   * Puts the newest events of each group into its ring of sample slots: a stored sample's row is
   * overwritten by a newer event (an update in place), never deleted and inserted again. Only
   * groups that had events before this delivery have slots to read.
   */
  private async addToSample(groups: PendingGroup[]) {
    const stored = await this.storedSamples(
      groups
        .filter(group => group.eventCount > group.events.length)
        .map(group => group.id),
    );
    const rows: unknown[][] = [];
    const removed: number[] = [];
    for (const group of groups) {
      const { writes, removedIds } = placeInRing(
        stored.get(group.id) ?? [],
        // Only the newest of this delivery can be kept.
        group.events.slice(-this.sampleSize),
        this.sampleSize,
      );
      for (const { slot, event: e } of writes) {
        rows.push([
          group.id,
          slot,
          e.source,
          e.eventId,
          e.timestamp,
          e.release ?? null,
          e.environment ?? null,
          e.payloadJson ?? null,
        ]);
      }
      removed.push(...removedIds);
    }
    for (const part of statementParts(
      rows,
      SAMPLE_COLUMNS.length,
      row => (row[7] as string | null)?.length ?? 0,
    )) {
      await this.beforeErrorStatement();
      await insertRows(
        this.tx,
        'error_events',
        SAMPLE_COLUMNS,
        part,
        `on conflict ("group_id", "slot") do update set ${SAMPLE_COLUMNS.slice(
          2,
        )
          .map(column => `"${column}" = excluded.${column}`)
          .join(', ')}`,
      );
    }
    // Only when the sample size was lowered since these rows were written.
    for (const part of statementParts(removed, 1)) {
      await this.beforeErrorStatement();
      await this.tx('error_events').whereIn('id', part).delete();
    }
  }

  /** The stored samples of the groups, by group id. */
  private async storedSamples(
    groupIds: number[],
  ): Promise<Map<number, StoredSample[]>> {
    const byGroup = new Map<number, StoredSample[]>();
    for (const part of statementParts(groupIds, 1)) {
      await this.beforeErrorStatement();
      const result = await namedRaw(
        this.tx,
        `select "group_id", "slot", "timestamp", "id" from "error_events" where "group_id" in (${part
          .map(() => '?')
          .join(', ')})`,
        part,
      );
      // better-sqlite3 answers with the rows, pg with a result holding them.
      const rows: Row[] = Array.isArray(result) ? result : result.rows;
      for (const row of rows) {
        const groupId = num(row.group_id);
        const list = byGroup.get(groupId) ?? [];
        list.push({
          slot: num(row.slot),
          timestamp: num(row.timestamp),
          id: num(row.id),
        });
        byGroup.set(groupId, list);
      }
    }
    return byGroup;
  }

  /** Gives the event loop a turn before every error-event statement but the first. */
  private async beforeErrorStatement() {
    if (this.errorStatements > 0) await yieldToEventLoop();
    this.errorStatements += 1;
  }

  /** Hourly counts as a source counted them; see `ingestErrorCounts.ts`. */
  recordErrorCounts(counts: ErrorCountsInput[]) {
    return recordErrorCounts(this.tx, this.sql, counts);
  }

  async updateErrorGroupStatus(
    status: ErrorGroupStatusInput,
  ): Promise<boolean> {
    const input = fitErrorGroupStatus(status);
    const patch: Record<string, unknown> = { status: input.status };
    if (input.status === 'resolved') patch.resolved_at = input.at;
    if (input.title) patch.title = input.title;
    if (input.permalink) patch.permalink = input.permalink;
    const updated = await this.tx('error_groups')
      .where({
        entity_ref: input.entityRef,
        source: input.source,
        fingerprint: input.fingerprint,
      })
      .update(patch);
    return updated > 0;
  }
}

/**
 * SQL spelled once per dialect: it is the same text for every delivery, and spelling it through
 * knex's builder for every statement showed in ingestion's profile.
 */
const spelled = new WeakMap<SqlDialect, Map<string, string>>();

function memoized(sql: SqlDialect, what: string, spell: () => string) {
  let byWhat = spelled.get(sql);
  if (!byWhat) {
    byWhat = new Map();
    spelled.set(sql, byWhat);
  }
  let text = byWhat.get(what);
  if (text === undefined) {
    text = spell();
    byWhat.set(what, text);
  }
  return text;
}

/** An error group a delivery writes to, with its events oldest first. */
interface PendingGroup {
  key: string;
  events: FittedErrorEvent[];
  /** Set once the group is upserted. */
  id: number;
  /** The group's event count after the upsert. */
  eventCount: number;
  /** When the group was resolved, if it is resolved. */
  resolvedAt?: number;
}

function groupKey(group: {
  entityRef: string;
  source: string;
  fingerprint: string;
}): string {
  return JSON.stringify([group.entityRef, group.source, group.fingerprint]);
}

/**
 * Rows in statements of at most ERROR_ROWS_PER_STATEMENT rows (fewer when the engines' parameter
 * limit asks, see `chunk`) and at most ERROR_JSON_CHARS_PER_STATEMENT characters of JSON, as
 * `jsonChars` counts them; a row over that alone is a statement of its own. Order is kept.
 */
function statementParts<T>(
  rows: T[],
  columnsPerRow: number,
  jsonChars: (row: T) => number = () => 0,
): T[][] {
  const parts: T[][] = [];
  for (const part of chunk(rows, columnsPerRow)) {
    let current: T[] = [];
    let chars = 0;
    for (const row of part) {
      const size = jsonChars(row);
      if (
        current.length > 0 &&
        (current.length >= ERROR_ROWS_PER_STATEMENT ||
          chars + size > ERROR_JSON_CHARS_PER_STATEMENT)
      ) {
        parts.push(current);
        current = [];
        chars = 0;
      }
      current.push(row);
      chars += size;
    }
    if (current.length > 0) parts.push(current);
  }
  return parts;
}
