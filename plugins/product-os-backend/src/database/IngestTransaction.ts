import { Knex } from 'knex';
import type {
  ChangeEventInput,
  ErrorEventInput,
  ErrorGroupKey,
  ErrorGroupStatusInput,
  IncidentInput,
  IncidentTimelineInput,
  IngestWriter,
  MetricPointInput,
} from '@internal/plugin-product-os-node';
import type { SourceId } from '@internal/plugin-product-os-common';
import { bucketStart, HOUR_MS, num, opt, optNum, parseJson, Row } from './rows';
import { chunk, SqlDialect } from './sql';

/** Writes of one delivery, inside the transaction `tx`. */
export class IngestTransaction implements IngestWriter {
  constructor(
    private readonly tx: Knex.Transaction,
    private readonly sql: SqlDialect,
    private readonly sampleSize: number,
  ) {}

  async recordErrorEvents(events: ErrorEventInput[]) {
    const fresh = await this.claimEventIds(events);
    if (fresh.length === 0) return { stored: 0, duplicates: events.length, newGroups: [] };

    const groups = new Map<string, ErrorEventInput[]>();
    for (const event of fresh) {
      const key = JSON.stringify([event.entityRef, event.source, event.fingerprint]);
      const list = groups.get(key) ?? [];
      list.push(event);
      groups.set(key, list);
    }

    const newGroups: ErrorGroupKey[] = [];
    for (const groupEvents of groups.values()) {
      const { groupId, created } = await this.upsertErrorGroup(groupEvents);
      if (created) {
        const { entityRef, source, fingerprint } = groupEvents[0];
        newGroups.push({ entityRef, source, fingerprint });
      }
      await this.addToBuckets(groupId, groupEvents);
      await this.addToSample(groupId, groupEvents);
    }
    return { stored: fresh.length, duplicates: events.length - fresh.length, newGroups };
  }

  /** Returns the events whose ids were not seen before, and remembers them. */
  private async claimEventIds(events: ErrorEventInput[]): Promise<ErrorEventInput[]> {
    const unique = new Map<string, ErrorEventInput>();
    for (const event of events) unique.set(`${event.source}\u0000${event.eventId}`, event);
    const now = Date.now();
    const claimed = new Set<string>();
    for (const part of chunk([...unique.values()], 3)) {
      const rows: { source: string; event_id: string }[] = await this.tx('error_event_ids')
        .insert(part.map(e => ({ source: e.source, event_id: e.eventId, received_at: now })))
        .onConflict(['source', 'event_id'])
        .ignore()
        .returning(['source', 'event_id']);
      for (const row of rows) claimed.add(`${row.source}\u0000${row.event_id}`);
    }
    return [...unique.entries()].filter(([key]) => claimed.has(key)).map(([, e]) => e);
  }

  private async upsertErrorGroup(
    events: ErrorEventInput[],
  ): Promise<{ groupId: number; created: boolean }> {
    const sorted = [...events].sort((a, b) => a.timestamp - b.timestamp);
    const first = sorted[0];
    const last = sorted[sorted.length - 1];
    const [row] = await this.tx('error_groups')
      .insert({
        entity_ref: first.entityRef,
        source: first.source,
        fingerprint: first.fingerprint,
        title: last.title,
        culprit: last.culprit ?? null,
        level: last.level,
        status: 'unresolved',
        first_seen: first.timestamp,
        last_seen: last.timestamp,
        first_release: first.release ?? null,
        top_frames: JSON.stringify(last.topFrames),
        permalink: last.permalink ?? null,
        event_count: events.length,
      })
      .onConflict(['entity_ref', 'source', 'fingerprint'])
      // Events can arrive late (an offline client, a retried envelope): the group reads as its
      // newest event, and its first release is that of its earliest event.
      .merge({
        title: this.fromNewest('title'),
        culprit: this.fromNewest('culprit'),
        level: this.fromNewest('level'),
        top_frames: this.fromNewest('top_frames'),
        first_seen: this.sql.least('error_groups.first_seen', 'excluded.first_seen'),
        last_seen: this.sql.greatest('error_groups.last_seen', 'excluded.last_seen'),
        event_count: this.tx.raw('error_groups.event_count + excluded.event_count'),
        permalink: this.tx.raw('COALESCE(excluded.permalink, error_groups.permalink)'),
        first_release: this.tx.raw(
          `CASE WHEN excluded.first_seen < error_groups.first_seen
             AND excluded.first_release IS NOT NULL
           THEN excluded.first_release
           ELSE COALESCE(error_groups.first_release, excluded.first_release) END`,
        ),
      })
      .returning(['id', 'event_count']);
    const groupId = num(row.id);
    // Every group is created by its first events, so a count of exactly these events means the
    // insert happened rather than the merge.
    const created = num(row.event_count) === events.length;

    // An event after the group was resolved brings it back: a regression, which began with the
    // first such event (not the newest of this delivery).
    const resolved = await this.tx('error_groups')
      .where({ id: groupId, status: 'resolved' })
      .first('resolved_at');
    if (resolved && resolved.resolved_at !== null) {
      const resolvedAt = num(resolved.resolved_at);
      const back = sorted.find(event => event.timestamp > resolvedAt);
      if (back) {
        await this.tx('error_groups')
          .where({ id: groupId })
          .update({ status: 'unresolved', regressed_at: back.timestamp });
      }
    }
    return { groupId, created };
  }

  /** The stored column, unless the incoming events are at least as new as the stored ones. */
  private fromNewest(column: string): Knex.Raw {
    return this.tx.raw(
      `CASE WHEN excluded.last_seen >= error_groups.last_seen THEN excluded.${column} ELSE error_groups.${column} END`,
    );
  }

  private async addToBuckets(groupId: number, events: ErrorEventInput[]) {
    const counts = new Map<number, number>();
    const users: { group_id: number; bucket_start: number; user_key: string }[] = [];
    for (const event of events) {
      const start = bucketStart(event.timestamp, HOUR_MS);
      counts.set(start, (counts.get(start) ?? 0) + 1);
      if (event.userKey) {
        users.push({ group_id: groupId, bucket_start: start, user_key: event.userKey });
      }
    }
    const newUsers = await this.insertNew('error_users', users, [
      'group_id',
      'bucket_start',
      'user_key',
    ]);
    const rows = [...counts].map(([start, count]) => ({
      group_id: groupId,
      bucket_start: start,
      count,
      users: newUsers.get(start) ?? 0,
    }));
    for (const part of chunk(rows, 4)) {
      await this.tx('error_buckets')
        .insert(part)
        .onConflict(['group_id', 'bucket_start'])
        .merge({
          count: this.tx.raw('error_buckets.count + excluded.count'),
          users: this.tx.raw('error_buckets.users + excluded.users'),
        });
    }
  }

  /**
   * Inserts rows that are not there yet and returns how many were new per `bucket_start`, which
   * is how distinct users are counted without keeping a row per request.
   */
  private async insertNew(
    table: string,
    rows: Record<string, string | number>[],
    key: string[],
  ): Promise<Map<number, number>> {
    const added = new Map<number, number>();
    for (const part of chunk(rows, key.length)) {
      const inserted: { bucket_start: unknown }[] = await this.tx(table)
        .insert(part)
        .onConflict(key)
        .ignore()
        .returning(['bucket_start']);
      for (const row of inserted) {
        const start = num(row.bucket_start);
        added.set(start, (added.get(start) ?? 0) + 1);
      }
    }
    return added;
  }

  private async addToSample(groupId: number, events: ErrorEventInput[]) {
    const newest = [...events]
      .sort((a, b) => b.timestamp - a.timestamp)
      .slice(0, this.sampleSize);
    for (const part of chunk(newest, 7)) {
      await this.tx('error_events')
        .insert(
          part.map(e => ({
            group_id: groupId,
            source: e.source,
            event_id: e.eventId,
            timestamp: e.timestamp,
            release: e.release ?? null,
            environment: e.environment ?? null,
            payload: e.payload === undefined ? null : JSON.stringify(e.payload),
          })),
        )
        .onConflict(['source', 'event_id'])
        .ignore();
    }
    const keep = this.tx('error_events')
      .select('id')
      .where('group_id', groupId)
      .orderBy([
        { column: 'timestamp', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(this.sampleSize);
    await this.tx('error_events')
      .where('group_id', groupId)
      .whereNotIn('id', this.tx.select('id').from(keep.as('keep')))
      .delete();
  }

  async updateErrorGroupStatus(input: ErrorGroupStatusInput): Promise<boolean> {
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

  async upsertChangeEvents(changes: ChangeEventInput[]): Promise<void> {
    for (const change of changes) {
      await this.tx('change_events')
        .insert({
          entity_ref: change.entityRef,
          source: change.source,
          kind: change.kind,
          external_id: change.externalId,
          title: change.title,
          author: change.author ?? null,
          sha: change.sha ?? null,
          number: change.number ?? null,
          environment: change.environment ?? null,
          status: change.status ?? null,
          url: change.url ?? null,
          occurred_at: change.occurredAt,
          finished_at: change.finishedAt ?? null,
          files: JSON.stringify(change.files ?? []),
        })
        .onConflict(['entity_ref', 'source', 'kind', 'external_id'])
        // A later report (a deployment status, a merge) completes what an earlier one started;
        // fields it does not carry keep their stored values.
        .merge({
          title: change.title,
          ...(change.author !== undefined && { author: change.author }),
          ...(change.sha !== undefined && { sha: change.sha }),
          ...(change.number !== undefined && { number: change.number }),
          ...(change.environment !== undefined && { environment: change.environment }),
          ...(change.status !== undefined && { status: change.status }),
          ...(change.url !== undefined && { url: change.url }),
          ...(change.finishedAt !== undefined && { finished_at: change.finishedAt }),
          ...(change.files !== undefined && { files: JSON.stringify(change.files) }),
        });
    }
  }

  async findIncidents(key: {
    source: SourceId;
    externalId: string;
    entityRef?: string;
  }): Promise<IncidentInput[]> {
    const rows: Row[] = await this.tx('incidents')
      .where({ source: key.source, external_id: key.externalId })
      .modify(query => {
        if (key.entityRef !== undefined) {
          query.where('entity_ref', key.entityRef);
        }
      })
      .orderBy('id');
    return rows.map(row => ({
      entityRef: row.entity_ref,
      source: row.source,
      externalId: row.external_id,
      title: row.title,
      urgency: opt(row.urgency),
      priority: opt(row.priority),
      status: row.status,
      createdAt: num(row.created_at),
      acknowledgedAt: optNum(row.acknowledged_at),
      resolvedAt: optNum(row.resolved_at),
      assignees: parseJson<string[]>(row.assignees, []),
      url: opt(row.url),
    }));
  }

  async upsertIncident(
    incident: IncidentInput,
    timeline: IncidentTimelineInput[] = [],
  ): Promise<void> {
    const [row] = await this.tx('incidents')
      .insert({
        entity_ref: incident.entityRef,
        source: incident.source,
        external_id: incident.externalId,
        title: incident.title,
        urgency: incident.urgency ?? null,
        priority: incident.priority ?? null,
        status: incident.status,
        created_at: incident.createdAt,
        acknowledged_at: incident.acknowledgedAt ?? null,
        resolved_at: incident.resolvedAt ?? null,
        assignees: JSON.stringify(incident.assignees ?? []),
        url: incident.url ?? null,
      })
      .onConflict(['entity_ref', 'source', 'external_id'])
      .merge({
        title: incident.title,
        status: incident.status,
        ...(incident.urgency !== undefined && { urgency: incident.urgency }),
        ...(incident.priority !== undefined && { priority: incident.priority }),
        ...(incident.acknowledgedAt !== undefined && {
          acknowledged_at: incident.acknowledgedAt,
        }),
        ...(incident.resolvedAt !== undefined && { resolved_at: incident.resolvedAt }),
        ...(incident.assignees !== undefined && {
          assignees: JSON.stringify(incident.assignees),
        }),
        ...(incident.url !== undefined && { url: incident.url }),
      })
      .returning(['id']);
    const incidentId = num(row.id);
    for (const part of chunk(timeline, 6)) {
      await this.tx('incident_events')
        .insert(
          part.map(entry => ({
            incident_id: incidentId,
            external_id: entry.externalId,
            type: entry.type,
            message: entry.message,
            actor: entry.actor ?? null,
            occurred_at: entry.occurredAt,
          })),
        )
        .onConflict(['incident_id', 'external_id'])
        .ignore();
    }
  }

  async recordMetricPoints(points: MetricPointInput[]): Promise<void> {
    const merged = new Map<string, MetricPointInput>();
    for (const point of points) {
      const start = bucketStart(point.bucketStart, HOUR_MS);
      const key = JSON.stringify([point.entityRef, point.metric, start]);
      const existing = merged.get(key);
      merged.set(key, {
        ...point,
        bucketStart: start,
        count: (existing?.count ?? 0) + point.count,
        userKeys: [...(existing?.userKeys ?? []), ...(point.userKeys ?? [])],
      });
    }
    for (const point of merged.values()) {
      const users = [...new Set(point.userKeys)].map(userKey => ({
        entity_ref: point.entityRef,
        metric: point.metric,
        bucket_start: point.bucketStart,
        user_key: userKey,
      }));
      const newUsers = await this.insertNew('metric_users', users, [
        'entity_ref',
        'metric',
        'bucket_start',
        'user_key',
      ]);
      await this.tx('metric_points')
        .insert({
          entity_ref: point.entityRef,
          metric: point.metric,
          bucket_start: point.bucketStart,
          count: point.count,
          users: newUsers.get(point.bucketStart) ?? 0,
        })
        .onConflict(['entity_ref', 'metric', 'bucket_start'])
        .merge({
          count: this.tx.raw('metric_points.count + excluded.count'),
          users: this.tx.raw('metric_points.users + excluded.users'),
        });
    }
  }
}
