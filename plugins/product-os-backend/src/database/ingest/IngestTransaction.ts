import { Knex } from 'knex';
import type {
  ChangeEventInput,
  ErrorCountsInput,
  ErrorEventInput,
  ErrorGroupStatusInput,
  IncidentInput,
  IncidentTimelineInput,
  IngestWriter,
  MetricPointInput,
  PulledMetricPointInput,
} from '@internal/plugin-product-os-node';
import type { SourceId } from '@internal/plugin-product-os-common';
import { ChangeIngest } from '../changes/ingestChanges';
import { ErrorIngest } from '../errors/ingestErrors';
import { IncidentIngest } from '../incidents/ingestIncidents';
import { MetricIngest } from '../metrics/ingestMetrics';
import { SqlDialect } from '../sql';

/**
 * Writes of one delivery, inside the transaction `tx`, each by the part next to the store of its
 * aggregate. Every record is first fitted to its columns (`fitInputs.ts`), so what is grouped,
 * compared and stored is the same on both engines.
 */
export class IngestTransaction implements IngestWriter {
  private readonly errors: ErrorIngest;
  private readonly changes: ChangeIngest;
  private readonly incidents: IncidentIngest;
  private readonly metrics: MetricIngest;

  constructor(tx: Knex.Transaction, sql: SqlDialect, sampleSize: number) {
    this.errors = new ErrorIngest(tx, sql, sampleSize);
    this.changes = new ChangeIngest(tx);
    this.incidents = new IncidentIngest(tx);
    this.metrics = new MetricIngest(tx, sql);
  }

  recordErrorEvents(events: ErrorEventInput[]) {
    return this.errors.recordErrorEvents(events);
  }

  recordErrorCounts(counts: ErrorCountsInput[]) {
    return this.errors.recordErrorCounts(counts);
  }

  updateErrorGroupStatus(status: ErrorGroupStatusInput) {
    return this.errors.updateErrorGroupStatus(status);
  }

  upsertChangeEvents(changes: ChangeEventInput[]) {
    return this.changes.upsertChangeEvents(changes);
  }

  findIncidents(key: {
    source: SourceId;
    externalId: string;
    entityRef?: string;
  }) {
    return this.incidents.findIncidents(key);
  }

  findIncidentTimeline(key: {
    source: SourceId;
    externalId: string;
    entityRef: string;
  }) {
    return this.incidents.findIncidentTimeline(key);
  }

  upsertIncident(incident: IncidentInput, timeline?: IncidentTimelineInput[]) {
    return this.incidents.upsertIncident(incident, timeline);
  }

  recordMetricPoints(points: MetricPointInput[]) {
    return this.metrics.recordMetricPoints(points);
  }

  setPulledMetricPoints(points: PulledMetricPointInput[]) {
    return this.metrics.setPulledMetricPoints(points);
  }
}
