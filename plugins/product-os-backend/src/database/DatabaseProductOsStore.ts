import {
  DatabaseService,
  LoggerService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import type {
  Anomaly,
  ChangeEvent,
  Diagnosis,
  ErrorGroup,
  Incident,
  MetricSeries,
  SeriesPoint,
  SourceId,
} from '@internal/plugin-product-os-common';
import {
  IngestOptions,
  IngestWriter,
  StoreUnavailableError,
  SyncState,
  SyncStateUpdate,
} from '@internal/plugin-product-os-node';
import { columns } from './columns';
import { IngestTransaction } from './IngestTransaction';
import { checkpointInBackground } from './sqliteCheckpoints';
import { isDatabaseUnavailable, unavailableReason } from './unavailable';
import type {
  AnomalyInput,
  AnomalyRecord,
  AuditClaim,
  AuditEntry,
  AuditEntryInput,
  BucketedRange,
  ChangeQuery,
  DiagnosisInput,
  DiagnosisQuery,
  DiagnosisTransition,
  EvidenceInput,
  ErrorBucketRecord,
  ErrorGroupRecord,
  ErrorSampleRecord,
  MetricPointRecord,
  ProductOsStore,
  RecordAnomalyResult,
  RedactableText,
  RetentionPolicy,
  RetentionResult,
  SaveDiagnosisResult,
  TimeRange,
  UnmappedDelivery,
} from './ProductOsStore';
import {
  bucketStart,
  iso,
  num,
  opt,
  optNum,
  parseJson,
  Row,
  toAnomaly,
  toAnomalyRecord,
  toChangeEvent,
  toEvidence,
  toIncident,
  toTimelineEntry,
} from './rows';
import { chunk, SqlDialect, sqlDialect } from './sql';

const migrationsDir = resolvePackagePath(
  '@internal/plugin-product-os-backend',
  'migrations',
);

const SPARKLINE_SLICES = 24;

/** Distinct unmapped keys kept per source; later new keys are counted in {@link UNMAPPED_OVERFLOW_KEY}. */
export const DEFAULT_UNMAPPED_KEYS_PER_SOURCE = 1_000;
/** The row that counts a source's unmapped deliveries once its distinct keys are at the cap. */
export const UNMAPPED_OVERFLOW_KEY = '(other keys)';
/** What a sender is told to wait when the database cannot be reached. */
export const DEFAULT_RETRY_AFTER_SECONDS = 30;

/** {@link ProductOsStore} on the plugin's knex database (SQLite or PostgreSQL). */
export class DatabaseProductOsStore implements ProductOsStore {
  static async create(options: {
    database: DatabaseService;
    /** How many raw events to keep per error group. */
    sampleSize?: number;
    /** Told once when the database becomes unreachable and once when it is back. */
    logger?: LoggerService;
    /** Distinct unmapped keys kept per source. */
    unmappedKeysPerSource?: number;
    /** `Retry-After` of the 503 a write answers while the database cannot be reached. */
    retryAfterSeconds?: number;
  }): Promise<DatabaseProductOsStore> {
    const knex = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await knex.migrate.latest({ directory: migrationsDir });
    }
    if (String(knex.client.config.client).includes('sqlite')) {
      // Ingestion commits many transactions a second; with SQLite's default rollback journal
      // each creates and deletes a journal file, a write-ahead log appends to one file instead
      // (measured: about 1.5 ms against 0.6 ms a commit). A no-op for in-memory databases.
      await knex.raw('PRAGMA journal_mode = WAL');
      // Its checkpoints run in a worker thread, not inside a commit (see sqliteCheckpoints.ts).
      await checkpointInBackground(knex);
    }
    return new DatabaseProductOsStore(knex, {
      sampleSize: options.sampleSize ?? 50,
      logger: options.logger,
      unmappedKeysPerSource:
        options.unmappedKeysPerSource ?? DEFAULT_UNMAPPED_KEYS_PER_SOURCE,
      retryAfterSeconds:
        options.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS,
    });
  }

  private readonly sql: SqlDialect;
  private readonly sampleSize: number;
  /** False from the first failed write of an outage until a write succeeds again. */
  private reachable = true;

  private constructor(
    private readonly knex: Knex,
    private readonly options: {
      sampleSize: number;
      logger?: LoggerService;
      unmappedKeysPerSource: number;
      retryAfterSeconds: number;
    },
  ) {
    this.sql = sqlDialect(knex);
    this.sampleSize = options.sampleSize;
  }

  /**
   * Runs a write that a sender is waiting for. When the database cannot be reached it fails with
   * a 503 the sender retries after `Retry-After`, and the outage is logged once, when it begins
   * (and once more when a write succeeds again), not for every request that meets it.
   */
  private async guarded<T>(write: () => Promise<T>): Promise<T> {
    let result: T;
    try {
      result = await write();
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      if (this.reachable) {
        this.reachable = false;
        this.options.logger?.warn(
          `Product OS database unreachable; vendor deliveries answer 503 until it is back: ${unavailableReason(
            error,
          )}`,
        );
      }
      throw new StoreUnavailableError(
        'The Product OS database is unavailable; nothing was stored, retry later',
        { retryAfterSeconds: this.options.retryAfterSeconds },
      );
    }
    if (!this.reachable) {
      this.reachable = true;
      this.options.logger?.info('Product OS database reachable again');
    }
    return result;
  }

  async ingest<T>(
    options: IngestOptions,
    write: (writer: IngestWriter) => Promise<T>,
  ): Promise<{ duplicate: boolean; result?: T }> {
    return this.guarded(() => this.ingestNow(options, write));
  }

  private async ingestNow<T>(
    options: IngestOptions,
    write: (writer: IngestWriter) => Promise<T>,
  ): Promise<{ duplicate: boolean; result?: T }> {
    return this.knex.transaction(async tx => {
      if (options.deliveryId !== undefined) {
        const claimed = await tx('deliveries')
          .insert({
            source: columns.deliveries.source.fit(options.source, 'source'),
            delivery_id: columns.deliveries.delivery_id.fit(
              options.deliveryId,
              'delivery id',
            ),
            received_at: Date.now(),
          })
          .onConflict(['source', 'delivery_id'])
          .ignore()
          .returning(['delivery_id']);
        if (claimed.length === 0) return { duplicate: true };
      }
      const result = await write(
        new IngestTransaction(tx, this.sql, this.sampleSize),
      );
      return { duplicate: false, result };
    });
  }

  /**
   * Counts a delivery for a key no entity claims. A source keeps at most `unmappedKeysPerSource`
   * keys; once there, a new key is counted in the source's {@link UNMAPPED_OVERFLOW_KEY} row, so
   * random keys cannot grow the table (retention removes keys not seen for `rawDays`).
   */
  async recordUnmapped(
    source: SourceId,
    key: string,
    at: number,
  ): Promise<void> {
    const col = columns.unmapped_deliveries;
    const row = {
      source: col.source.fit(source, 'source'),
      key: col.key.fit(key, 'unmapped key'),
    };
    // A checked integer, so it can be written into the statement.
    const time = String(col.last_seen.fit(at, 'unmapped delivery time'));
    await this.guarded(() =>
      this.knex.transaction(async tx => {
        const counted = await tx('unmapped_deliveries')
          .where(row)
          .update({
            count: tx.raw('count + 1'),
            first_seen: this.sql.least('first_seen', time),
            last_seen: this.sql.greatest('last_seen', time),
          });
        if (counted > 0) return;
        const [{ keys }] = await tx('unmapped_deliveries')
          .where({ source: row.source })
          .whereNot({ key: UNMAPPED_OVERFLOW_KEY })
          .count({ keys: '*' });
        const target =
          num(keys) < this.options.unmappedKeysPerSource
            ? row
            : { source: row.source, key: UNMAPPED_OVERFLOW_KEY };
        await tx('unmapped_deliveries')
          .insert({
            ...target,
            count: 1,
            first_seen: Number(time),
            last_seen: Number(time),
          })
          .onConflict(['source', 'key'])
          .merge({
            count: tx.raw('unmapped_deliveries.count + 1'),
            // Deliveries can arrive out of order.
            first_seen: this.sql.least(
              'unmapped_deliveries.first_seen',
              'excluded.first_seen',
            ),
            last_seen: this.sql.greatest(
              'unmapped_deliveries.last_seen',
              'excluded.last_seen',
            ),
          });
      }),
    );
  }

  async listUnmapped(
    page: { limit: number; offset: number } = { limit: 100, offset: 0 },
  ): Promise<UnmappedDelivery[]> {
    const rows = await this.knex('unmapped_deliveries')
      .orderBy([
        { column: 'last_seen', order: 'desc' },
        { column: 'source', order: 'asc' },
        { column: 'key', order: 'asc' },
      ])
      .limit(page.limit)
      .offset(page.offset);
    return rows.map(row => ({
      source: row.source,
      key: row.key,
      count: num(row.count),
      firstSeen: iso(row.first_seen),
      lastSeen: iso(row.last_seen),
    }));
  }

  async countUnmapped(): Promise<number> {
    const [{ total }] = await this.knex('unmapped_deliveries').count({
      total: '*',
    });
    return num(total);
  }

  async getSyncState(
    source: SourceId,
    scope: string,
  ): Promise<SyncState | undefined> {
    const row = await this.knex('sync_state').where({ source, scope }).first();
    if (!row) return undefined;
    return {
      source: row.source,
      scope: row.scope,
      cursor: opt(row.cursor),
      lastSuccessAt:
        row.last_success_at === null ? undefined : num(row.last_success_at),
      lastError: opt(row.last_error),
      lastErrorAt:
        row.last_error_at === null ? undefined : num(row.last_error_at),
    };
  }

  async saveSyncState(state: SyncStateUpdate): Promise<void> {
    const patch =
      'error' in state
        ? { last_error: state.error, last_error_at: state.at }
        : {
            last_success_at: state.at,
            last_error: null,
            ...(state.cursor !== undefined && { cursor: state.cursor }),
          };
    await this.knex('sync_state')
      .insert({ source: state.source, scope: state.scope, ...patch })
      .onConflict(['source', 'scope'])
      .merge(patch);
  }

  async getErrorGroups(
    entityRef: string,
    range: TimeRange & { limit?: number },
  ): Promise<ErrorGroup[]> {
    const counted = this.knex('error_buckets')
      .select('group_id')
      .sum({ count: 'count' })
      .where('bucket_start', '>=', bucketStart(range.from, 3_600_000))
      .where('bucket_start', '<', range.to)
      .groupBy('group_id')
      .as('counted');
    const rows: Row[] = await this.knex('error_groups')
      .join(counted, 'counted.group_id', 'error_groups.id')
      .select('error_groups.*', 'counted.count as window_count')
      .where('error_groups.entity_ref', entityRef)
      .orderBy([
        { column: 'window_count', order: 'desc' },
        { column: 'error_groups.id', order: 'asc' },
      ])
      .limit(range.limit ?? 50);
    const sparklines = await this.sparklines(
      rows.map(row => num(row.id)),
      range,
    );
    return rows.map(row => ({
      id: num(row.id),
      entityRef: row.entity_ref,
      source: row.source,
      fingerprint: row.fingerprint,
      title: row.title,
      culprit: opt(row.culprit),
      level: row.level,
      status: row.status,
      firstSeen: iso(row.first_seen),
      lastSeen: iso(row.last_seen),
      firstRelease: opt(row.first_release),
      topFrames: parseJson(row.top_frames, []),
      permalink: opt(row.permalink),
      count: num(row.window_count),
      isNew: num(row.first_seen) >= range.from,
      isRegressed:
        row.regressed_at !== null && num(row.regressed_at) >= range.from,
      sparkline:
        sparklines.get(num(row.id)) ?? new Array(SPARKLINE_SLICES).fill(0),
    }));
  }

  private async sparklines(groupIds: number[], range: TimeRange) {
    const result = new Map<number, number[]>();
    if (groupIds.length === 0) return result;
    const slice = (range.to - range.from) / SPARKLINE_SLICES;
    const rows = await this.knex('error_buckets')
      .select('group_id', 'bucket_start', 'count')
      .whereIn('group_id', groupIds)
      .where('bucket_start', '>=', bucketStart(range.from, 3_600_000))
      .where('bucket_start', '<', range.to);
    for (const row of rows) {
      const id = num(row.group_id);
      const series = result.get(id) ?? new Array(SPARKLINE_SLICES).fill(0);
      const index = Math.min(
        SPARKLINE_SLICES - 1,
        Math.max(0, Math.floor((num(row.bucket_start) - range.from) / slice)),
      );
      series[index] += num(row.count);
      result.set(id, series);
    }
    return result;
  }

  async getErrorSeries(
    entityRef: string,
    range: BucketedRange,
  ): Promise<SeriesPoint[]> {
    const rows = await this.knex('error_buckets')
      .join('error_groups', 'error_groups.id', 'error_buckets.group_id')
      .where('error_groups.entity_ref', entityRef)
      .where(
        'error_buckets.bucket_start',
        '>=',
        bucketStart(range.from, range.bucketMs),
      )
      .where('error_buckets.bucket_start', '<', range.to)
      .select('error_buckets.bucket_start', 'error_buckets.count');
    return fillSeries(
      rows.map(row => [num(row.bucket_start), num(row.count)]),
      range,
    );
  }

  async getChangeEvents(
    entityRef: string,
    query: ChangeQuery,
  ): Promise<ChangeEvent[]> {
    return this.getChangeEventsForEntities([entityRef], query);
  }

  async getChangeEventsForEntities(
    entityRefs: string[],
    query: ChangeQuery,
  ): Promise<ChangeEvent[]> {
    if (entityRefs.length === 0) return [];
    const builder = this.knex('change_events')
      .whereIn('entity_ref', entityRefs)
      .where('occurred_at', '>=', query.from)
      .where('occurred_at', '<', query.to)
      .orderBy([
        { column: 'occurred_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ]);
    if (query.kinds?.length) builder.whereIn('kind', query.kinds);
    if (query.limit) builder.limit(query.limit);
    const rows = await builder;
    return rows.map(toChangeEvent);
  }

  async getIncidents(entityRef: string, range: TimeRange): Promise<Incident[]> {
    const rows: Row[] = await this.knex('incidents')
      .where('entity_ref', entityRef)
      .where('created_at', '<', range.to)
      // An incident still open, or resolved inside the window, belongs to the window too. Open
      // is the status: a reopened incident keeps the time it was first resolved.
      .where(q =>
        q
          .where('created_at', '>=', range.from)
          .orWhereNot('status', 'resolved')
          .orWhereNull('resolved_at')
          .orWhere('resolved_at', '>=', range.from),
      )
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ]);
    const events: Row[] = rows.length
      ? await this.knex('incident_events')
          .whereIn(
            'incident_id',
            rows.map(row => row.id),
          )
          .orderBy([
            { column: 'occurred_at', order: 'asc' },
            { column: 'id', order: 'asc' },
          ])
      : [];
    return rows.map(row =>
      toIncident(
        row,
        events
          .filter(event => num(event.incident_id) === num(row.id))
          .map(toTimelineEntry),
      ),
    );
  }

  async getMetricSeries(
    entityRef: string,
    range: BucketedRange,
  ): Promise<MetricSeries[]> {
    const span = range.to - range.from;
    const rows = await this.knex('metric_points')
      .where('entity_ref', entityRef)
      .where(
        'bucket_start',
        '>=',
        bucketStart(range.from - span, range.bucketMs),
      )
      .where('bucket_start', '<', range.to)
      .orderBy('bucket_start');
    const byMetric = new Map<string, Row[]>();
    for (const row of rows) {
      const list = byMetric.get(row.metric) ?? [];
      list.push(row);
      byMetric.set(row.metric, list);
    }
    return [...byMetric.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, points]) => {
        const inWindow = points.filter(p => num(p.bucket_start) >= range.from);
        const before = points.filter(p => num(p.bucket_start) < range.from);
        return {
          key,
          points: fillSeries(
            inWindow.map(p => [num(p.bucket_start), num(p.count)]),
            range,
          ),
          users: fillSeries(
            inWindow.map(p => [num(p.bucket_start), num(p.users)]),
            range,
          ),
          total: inWindow.reduce((sum, p) => sum + num(p.count), 0),
          previousTotal: before.reduce((sum, p) => sum + num(p.count), 0),
        };
      });
  }

  async createAnomaly(anomaly: AnomalyInput): Promise<Anomaly> {
    const [row] = await this.knex('anomalies')
      .insert({
        entity_ref: anomaly.entityRef,
        kinds: JSON.stringify(anomaly.kinds),
        onset_at: anomaly.onsetAt,
        detected_at: anomaly.detectedAt,
        magnitude: anomaly.magnitude,
        score: anomaly.score,
        status: 'open',
        details: JSON.stringify(anomaly.details ?? {}),
      })
      .returning('*');
    return toAnomaly(row);
  }

  async getAnomalies(entityRef: string, range: TimeRange): Promise<Anomaly[]> {
    const rows = await this.knex('anomalies')
      .where('entity_ref', entityRef)
      .where('onset_at', '>=', range.from)
      .where('onset_at', '<', range.to)
      .orderBy('onset_at', 'desc');
    return rows.map(toAnomaly);
  }

  async closeAnomaly(id: number): Promise<void> {
    await this.knex('anomalies').where({ id }).update({ status: 'closed' });
  }

  async createDiagnosis(input: DiagnosisInput): Promise<Diagnosis> {
    const id = await this.knex.transaction(tx => insertDiagnosis(tx, input));
    return (await this.getDiagnosis(id))!;
  }

  async getDiagnosis(id: number): Promise<Diagnosis | undefined> {
    const [diagnosis] = await this.loadDiagnoses(
      this.knex('diagnoses').where({ id }),
    );
    return diagnosis;
  }

  async listDiagnoses(query: DiagnosisQuery): Promise<Diagnosis[]> {
    const builder = this.knex('diagnoses').orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ]);
    if (query.entityRefs) builder.whereIn('entity_ref', query.entityRefs);
    if (query.statuses?.length) builder.whereIn('status', query.statuses);
    if (query.actionability?.length)
      builder.whereIn('actionability', query.actionability);
    if (query.owners?.length) builder.whereIn('owner', query.owners);
    if (query.anomalyId !== undefined)
      builder.where('anomaly_id', query.anomalyId);
    builder.limit(query.limit ?? 100);
    return this.loadDiagnoses(builder);
  }

  private async loadDiagnoses(
    builder: Knex.QueryBuilder,
  ): Promise<Diagnosis[]> {
    const rows: Row[] = await builder;
    if (rows.length === 0) return [];
    const ids = rows.map(row => num(row.id));
    const suspectRows: Row[] = await this.knex('diagnosis_suspects')
      .join(
        'change_events',
        'change_events.id',
        'diagnosis_suspects.change_event_id',
      )
      .whereIn('diagnosis_suspects.diagnosis_id', ids)
      .select(
        'change_events.*',
        'diagnosis_suspects.id as suspect_id',
        'diagnosis_suspects.diagnosis_id',
        'diagnosis_suspects.rank',
        'diagnosis_suspects.score',
        'diagnosis_suspects.confidence',
      )
      .orderBy('diagnosis_suspects.rank');
    const evidence = (
      await this.knex('diagnosis_evidence')
        .whereIn('diagnosis_id', ids)
        .orderBy([
          { column: 'weight', order: 'desc' },
          { column: 'id', order: 'asc' },
        ])
    ).map(row => ({
      diagnosisId: num(row.diagnosis_id),
      evidence: toEvidence(row),
    }));
    const history: Row[] = await this.knex('diagnosis_feedback')
      .whereIn('diagnosis_id', ids)
      .orderBy([
        { column: 'at', order: 'asc' },
        { column: 'id', order: 'asc' },
      ]);

    return rows.map(row => {
      const id = num(row.id);
      const mine = evidence
        .filter(e => e.diagnosisId === id)
        .map(e => e.evidence);
      return {
        id,
        entityRef: row.entity_ref,
        anomalyId: row.anomaly_id === null ? undefined : num(row.anomaly_id),
        summary: row.summary,
        confidence: num(row.confidence),
        status: row.status,
        actionability: row.actionability,
        nextStep: opt(row.next_step),
        reviewers: parseJson(row.reviewers, []),
        feedback: opt(row.feedback),
        createdAt: iso(row.created_at),
        updatedAt: iso(row.updated_at),
        verdict: row.verdict,
        owner: opt(row.owner),
        impact: parseJson(row.impact, {}),
        history: history
          .filter(h => num(h.diagnosis_id) === id)
          .map(h => ({
            from: h.from_status,
            to: h.to_status,
            reason: opt(h.reason),
            by: h.by,
            at: iso(h.at),
          })),
        evidence: mine.filter(e => e.suspectId === undefined),
        suspects: suspectRows
          .filter(s => num(s.diagnosis_id) === id)
          .map(s => ({
            id: num(s.suspect_id),
            rank: num(s.rank),
            score: num(s.score),
            confidence: num(s.confidence),
            change: toChangeEvent(s),
            evidence: mine.filter(e => e.suspectId === num(s.suspect_id)),
          })),
      };
    });
  }

  async updateDiagnosisStatus(
    id: number,
    update: {
      status: Diagnosis['status'];
      feedback?: string;
      by: string;
      at: number;
    },
  ): Promise<Diagnosis | undefined> {
    const updated = await this.knex('diagnoses')
      .where({ id })
      .update({
        status: update.status,
        updated_at: update.at,
        feedback_by: update.by,
        ...(update.feedback !== undefined && { feedback: update.feedback }),
      });
    return updated ? this.getDiagnosis(id) : undefined;
  }

  async listActiveEntities(since: number): Promise<string[]> {
    const [groups, metrics, incidents] = await Promise.all([
      this.knex('error_groups')
        .distinct('entity_ref')
        .where('last_seen', '>=', since),
      this.knex('metric_points')
        .distinct('entity_ref')
        .where('bucket_start', '>=', since),
      this.knex('incidents')
        .distinct('entity_ref')
        .where('created_at', '>=', since),
    ]);
    const refs = new Set<string>();
    for (const row of [...groups, ...metrics, ...incidents])
      refs.add(row.entity_ref);
    return [...refs].sort();
  }

  async getErrorGroupRecords(
    entityRef: string,
    filter: { lastSeenFrom?: number; ids?: number[] },
  ): Promise<ErrorGroupRecord[]> {
    if (filter.ids && filter.ids.length === 0) return [];
    const builder = this.knex('error_groups')
      .where('entity_ref', entityRef)
      .orderBy('id');
    if (filter.lastSeenFrom !== undefined)
      builder.where('last_seen', '>=', filter.lastSeenFrom);
    if (filter.ids) builder.whereIn('id', filter.ids);
    const rows: Row[] = await builder;
    return rows.map(row => ({
      id: num(row.id),
      entityRef: row.entity_ref,
      source: row.source,
      fingerprint: row.fingerprint,
      title: row.title,
      culprit: opt(row.culprit),
      level: row.level,
      status: row.status,
      firstSeen: num(row.first_seen),
      lastSeen: num(row.last_seen),
      firstRelease: opt(row.first_release),
      resolvedAt: optNum(row.resolved_at),
      regressedAt: optNum(row.regressed_at),
      topFrames: parseJson(row.top_frames, []),
      permalink: opt(row.permalink),
      eventCount: num(row.event_count),
    }));
  }

  async getErrorBuckets(
    entityRef: string,
    range: TimeRange,
  ): Promise<ErrorBucketRecord[]> {
    const rows: Row[] = await this.knex('error_buckets')
      .join('error_groups', 'error_groups.id', 'error_buckets.group_id')
      .where('error_groups.entity_ref', entityRef)
      .where('error_buckets.bucket_start', '>=', range.from)
      .where('error_buckets.bucket_start', '<', range.to)
      .select(
        'error_buckets.group_id',
        'error_buckets.bucket_start',
        'error_buckets.count',
        'error_buckets.users',
      )
      .orderBy([
        { column: 'error_buckets.bucket_start', order: 'asc' },
        { column: 'error_buckets.group_id', order: 'asc' },
      ]);
    return rows.map(row => ({
      groupId: num(row.group_id),
      bucketStart: num(row.bucket_start),
      count: num(row.count),
      users: num(row.users),
    }));
  }

  async getErrorSamples(
    groupIds: number[],
    range: TimeRange,
  ): Promise<ErrorSampleRecord[]> {
    if (groupIds.length === 0) return [];
    const rows: Row[] = await this.knex('error_events')
      .whereIn('group_id', groupIds)
      .where('timestamp', '>=', range.from)
      .where('timestamp', '<', range.to)
      .select('group_id', 'timestamp', 'release')
      .orderBy([
        { column: 'timestamp', order: 'asc' },
        { column: 'id', order: 'asc' },
      ]);
    return rows.map(row => ({
      groupId: num(row.group_id),
      timestamp: num(row.timestamp),
      release: opt(row.release),
    }));
  }

  async getMetricPoints(
    entityRef: string,
    range: TimeRange,
    metrics?: string[],
  ): Promise<MetricPointRecord[]> {
    if (metrics && metrics.length === 0) return [];
    const builder = this.knex('metric_points')
      .where('entity_ref', entityRef)
      .where('bucket_start', '>=', range.from)
      .where('bucket_start', '<', range.to)
      .orderBy([
        { column: 'metric', order: 'asc' },
        { column: 'bucket_start', order: 'asc' },
      ]);
    if (metrics) builder.whereIn('metric', metrics);
    const rows: Row[] = await builder;
    return rows.map(row => ({
      metric: row.metric,
      bucketStart: num(row.bucket_start),
      count: num(row.count),
      users: num(row.users),
    }));
  }

  async getAnomalyRecord(id: number): Promise<AnomalyRecord | undefined> {
    const row = await this.knex('anomalies').where({ id }).first();
    return row ? toAnomalyRecord(row) : undefined;
  }

  async getOpenAnomalies(entityRef: string): Promise<AnomalyRecord[]> {
    const rows = await this.knex('anomalies')
      .where({ entity_ref: entityRef, status: 'open' })
      .orderBy([
        { column: 'onset_at', order: 'asc' },
        { column: 'id', order: 'asc' },
      ]);
    return rows.map(toAnomalyRecord);
  }

  async recordAnomaly(
    anomaly: AnomalyInput,
    options: {
      mergeWindowMs: number;
      merge: (existing: AnomalyRecord, incoming: AnomalyInput) => AnomalyInput;
    },
  ): Promise<RecordAnomalyResult> {
    return this.knex.transaction(async tx => {
      await lockEntity(tx, anomaly.entityRef, anomaly.detectedAt);
      const window = options.mergeWindowMs;
      const nearby: Row[] = await tx('anomalies')
        .where('entity_ref', anomaly.entityRef)
        .where(q =>
          q
            .whereBetween('onset_at', [
              anomaly.onsetAt - window,
              anomaly.onsetAt + window,
            ])
            // An open anomaly still being seen absorbs what follows it: one report, not one per
            // hour the trouble lasts.
            .orWhere(open =>
              open
                .where('status', 'open')
                .where('onset_at', '<=', anomaly.onsetAt)
                .where('updated_at', '>=', anomaly.onsetAt - window),
            ),
        )
        .orderBy('id');
      if (nearby.length === 0) {
        const [row] = await tx('anomalies')
          .insert({
            ...anomalyColumns(anomaly),
            status: 'open',
            updated_at: anomaly.detectedAt,
          })
          .returning('*');
        return { anomaly: toAnomalyRecord(row), outcome: 'created' as const };
      }
      const nearest = nearby
        .map(toAnomalyRecord)
        .sort(
          (a, b) =>
            Math.abs(a.onsetAt - anomaly.onsetAt) -
              Math.abs(b.onsetAt - anomaly.onsetAt) || a.id - b.id,
        )[0];
      if (nearest.status === 'closed')
        return { anomaly: nearest, outcome: 'closed' as const };
      const merged = options.merge(nearest, anomaly);
      const changed =
        JSON.stringify([...merged.kinds].sort()) !==
          JSON.stringify([...nearest.kinds].sort()) ||
        merged.onsetAt !== nearest.onsetAt ||
        Math.abs(merged.magnitude - nearest.magnitude) >
          0.1 * Math.abs(nearest.magnitude) ||
        Math.abs(merged.score - nearest.score) > 0.05;
      const [row] = await tx('anomalies')
        .where({ id: nearest.id })
        .update({
          ...anomalyColumns({ ...merged, detectedAt: nearest.detectedAt }),
          updated_at: Math.max(nearest.updatedAt, anomaly.detectedAt),
        })
        .returning('*');
      return {
        anomaly: toAnomalyRecord(row),
        outcome: changed ? ('merged' as const) : ('unchanged' as const),
      };
    });
  }

  async saveAgentDiagnosis(
    input: DiagnosisInput & { anomalyId: number },
  ): Promise<SaveDiagnosisResult> {
    const { id, outcome } = await this.knex.transaction(async tx => {
      // A no-op update locks the anomaly, so two instances diagnosing it at once take turns.
      await tx('anomalies')
        .where({ id: input.anomalyId })
        .increment('score', 0);
      const latest: Row | undefined = await tx('diagnoses')
        .where({ anomaly_id: input.anomalyId })
        .orderBy('id', 'desc')
        .first();
      if (!latest)
        return {
          id: await insertDiagnosis(tx, input),
          outcome: 'created' as const,
        };
      if (latest.status !== 'open')
        return { id: num(latest.id), outcome: 'kept' as const };
      const diagnosisId = num(latest.id);
      await tx('diagnosis_evidence')
        .where({ diagnosis_id: diagnosisId })
        .delete();
      await tx('diagnosis_suspects')
        .where({ diagnosis_id: diagnosisId })
        .delete();
      await tx('diagnoses')
        .where({ id: diagnosisId })
        .update({ ...diagnosisColumns(input), updated_at: input.createdAt });
      await insertSuspectsAndEvidence(tx, diagnosisId, input);
      return { id: diagnosisId, outcome: 'updated' as const };
    });
    return { diagnosis: (await this.getDiagnosis(id))!, outcome };
  }

  async transitionDiagnosis(id: number, transition: DiagnosisTransition) {
    const outcome = await this.knex.transaction(async tx => {
      const row: Row | undefined = await tx('diagnoses').where({ id }).first();
      if (!row) return 'missing' as const;
      if (!transition.from.includes(row.status)) return 'conflict' as const;
      // Only from the status just read: a concurrent change makes this a conflict, not a
      // silent overwrite.
      const updated = await tx('diagnoses')
        .where({ id, status: row.status })
        .update({
          status: transition.to,
          updated_at: transition.at,
          feedback_by: transition.by,
          ...(transition.reason !== undefined && {
            feedback: transition.reason,
          }),
        });
      if (updated === 0) return 'conflict' as const;
      await tx('diagnosis_feedback').insert({
        diagnosis_id: id,
        from_status: row.status,
        to_status: transition.to,
        reason: transition.reason ?? null,
        by: transition.by,
        at: transition.at,
      });
      return 'updated' as const;
    });
    if (outcome === 'missing') return { outcome };
    return { outcome, diagnosis: (await this.getDiagnosis(id))! };
  }

  async appendAudit(entry: AuditEntryInput): Promise<AuditEntry> {
    const [row] = await this.knex('audit_log')
      .insert({
        at: entry.at,
        actor: entry.actor,
        action: entry.action,
        target: entry.target,
        diagnosis_id: entry.diagnosisId ?? null,
        request: JSON.stringify(entry.request),
        outcome: entry.outcome,
        result:
          entry.result === undefined ? null : JSON.stringify(entry.result),
      })
      .returning('*');
    return toAuditEntry(row);
  }

  async claimAuditedWrite(
    entry: Omit<AuditEntryInput, 'outcome' | 'result'> & {
      previewToken: string;
    },
  ): Promise<AuditClaim> {
    const rows: Row[] = await this.knex('audit_log')
      .insert({
        at: entry.at,
        actor: entry.actor,
        action: entry.action,
        target: entry.target,
        diagnosis_id: entry.diagnosisId ?? null,
        request: JSON.stringify(entry.request),
        outcome: 'pending',
        preview_token: entry.previewToken,
      })
      .onConflict('preview_token')
      .ignore()
      .returning(['id']);
    if (rows.length) return { claimed: true, id: num(rows[0].id) };
    const existing = await this.knex('audit_log')
      .where({ preview_token: entry.previewToken })
      .first();
    return { claimed: false, existing: toAuditEntry(existing) };
  }

  async settleAuditedWrite(
    id: number,
    settled: { at: number; outcome: 'succeeded' | 'failed'; result?: unknown },
  ): Promise<void> {
    await this.knex('audit_log')
      .where({ id })
      .update({
        at: settled.at,
        outcome: settled.outcome,
        result:
          settled.result === undefined ? null : JSON.stringify(settled.result),
        ...(settled.outcome === 'failed' && { preview_token: null }),
      });
  }

  async getRedactableTexts(
    ids: number[],
  ): Promise<Map<number, RedactableText>> {
    const texts = new Map<number, RedactableText>();
    for (const part of chunk(ids, 500)) {
      const rows: Row[] = await this.knex('diagnoses')
        .whereIn('id', part)
        .whereNotNull('redactable')
        .select('id', 'redactable');
      for (const row of rows) {
        const text = parseJson<RedactableText | null>(row.redactable, null);
        if (text) texts.set(num(row.id), text);
      }
    }
    return texts;
  }

  async listAudit(limit: number): Promise<AuditEntry[]> {
    const rows = await this.knex('audit_log')
      .orderBy([
        { column: 'at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit);
    return rows.map(toAuditEntry);
  }

  async prune(now: number, policy: RetentionPolicy): Promise<RetentionResult> {
    const rawBefore = now - policy.rawMaxAgeMs;
    const aggregateBefore = now - policy.aggregateMaxAgeMs;
    const hourBefore = bucketStart(aggregateBefore, 3_600_000);
    // [table, time column, delete rows older than]
    const raw: Array<[string, string, number]> = [
      ['error_events', 'timestamp', rawBefore],
      ['error_users', 'bucket_start', rawBefore],
      ['metric_users', 'bucket_start', rawBefore],
      ['deliveries', 'received_at', rawBefore],
      // A key nobody has sent from for as long as raw samples are kept.
      ['unmapped_deliveries', 'last_seen', rawBefore],
      // Event ids are kept as long as the buckets they were counted into, so that a resent old
      // event cannot be counted twice.
      ['error_event_ids', 'received_at', aggregateBefore],
    ];
    const aggregates: Array<[string, string, number]> = [
      ['error_buckets', 'bucket_start', hourBefore],
      ['metric_points', 'bucket_start', hourBefore],
    ];
    return this.knex.transaction(async tx => {
      const deleteOlder = async (tables: Array<[string, string, number]>) => {
        let deleted = 0;
        for (const [table, column, before] of tables) {
          deleted += await tx(table).where(column, '<', before).delete();
        }
        return deleted;
      };
      const rawRowsDeleted = await deleteOlder(raw);
      const aggregateRowsDeleted = await deleteOlder(aggregates);
      return { rawRowsDeleted, aggregateRowsDeleted };
    });
  }
}

function evidenceColumns(e: EvidenceInput) {
  return {
    kind: e.kind,
    description: e.description,
    weight: e.weight,
    url: e.url ?? null,
    facts: JSON.stringify(e.facts ?? {}),
  };
}

function anomalyColumns(anomaly: AnomalyInput) {
  return {
    entity_ref: anomaly.entityRef,
    kinds: JSON.stringify(anomaly.kinds),
    onset_at: anomaly.onsetAt,
    detected_at: anomaly.detectedAt,
    magnitude: anomaly.magnitude,
    score: anomaly.score,
    details: JSON.stringify(anomaly.details ?? {}),
  };
}

/**
 * Takes the entity's agent row for the rest of the transaction: on PostgreSQL the upsert holds
 * a row lock that a second writer waits for (and then sees the first one's rows); SQLite allows
 * one writer at a time anyway.
 */
async function lockEntity(tx: Knex.Transaction, entityRef: string, at: number) {
  await tx('agent_entities')
    .insert({ entity_ref: entityRef, evaluated_at: at })
    .onConflict('entity_ref')
    .merge({ evaluated_at: at });
}

function diagnosisColumns(input: DiagnosisInput) {
  return {
    entity_ref: input.entityRef,
    anomaly_id: input.anomalyId ?? null,
    summary: input.summary,
    confidence: input.confidence,
    actionability: input.actionability,
    next_step: input.nextStep ?? null,
    reviewers: JSON.stringify(input.reviewers),
    impact: JSON.stringify(input.impact ?? {}),
    owner: input.owner ?? null,
    verdict: input.verdict ?? 'suspect',
    redactable: input.redactable ? JSON.stringify(input.redactable) : null,
  };
}

async function insertDiagnosis(
  tx: Knex.Transaction,
  input: DiagnosisInput,
): Promise<number> {
  const [row] = await tx('diagnoses')
    .insert({
      ...diagnosisColumns(input),
      status: 'open',
      created_by: input.createdBy ?? 'agent',
      created_at: input.createdAt,
      updated_at: input.createdAt,
    })
    .returning(['id']);
  const diagnosisId = num(row.id);
  await insertSuspectsAndEvidence(tx, diagnosisId, input);
  return diagnosisId;
}

async function insertSuspectsAndEvidence(
  tx: Knex.Transaction,
  diagnosisId: number,
  input: DiagnosisInput,
) {
  const evidenceRows: Record<string, unknown>[] = input.evidence.map(e => ({
    diagnosis_id: diagnosisId,
    suspect_id: null,
    ...evidenceColumns(e),
  }));
  for (const [index, suspect] of input.suspects.entries()) {
    const [suspectRow] = await tx('diagnosis_suspects')
      .insert({
        diagnosis_id: diagnosisId,
        change_event_id: suspect.changeEventId,
        rank: index + 1,
        score: suspect.score,
        confidence: suspect.confidence,
      })
      .returning(['id']);
    for (const e of suspect.evidence) {
      evidenceRows.push({
        diagnosis_id: diagnosisId,
        suspect_id: num(suspectRow.id),
        ...evidenceColumns(e),
      });
    }
  }
  for (const part of chunk(evidenceRows, 8))
    await tx('diagnosis_evidence').insert(part);
}

function toAuditEntry(row: Row): AuditEntry {
  return {
    id: num(row.id),
    at: iso(row.at),
    actor: row.actor,
    action: row.action,
    target: row.target,
    diagnosisId: row.diagnosis_id === null ? undefined : num(row.diagnosis_id),
    request: parseJson(row.request, null),
    outcome: row.outcome,
    result: parseJson(row.result, undefined),
  };
}

/** Sums `[time, value]` pairs into the range's buckets, zero where nothing was recorded. */
function fillSeries(
  values: [number, number][],
  range: BucketedRange,
): SeriesPoint[] {
  const first = bucketStart(range.from, range.bucketMs);
  const sums = new Map<number, number>();
  for (const [time, value] of values) {
    const start = bucketStart(time, range.bucketMs);
    sums.set(start, (sums.get(start) ?? 0) + value);
  }
  const points: SeriesPoint[] = [];
  for (let start = first; start < range.to; start += range.bucketMs) {
    points.push({ time: iso(start), value: sums.get(start) ?? 0 });
  }
  return points;
}
