import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type {
  BucketSize,
  ChangeEvent,
  Diagnosis,
  DiagnosisRevision,
  EntityOverview,
  ErrorGroup,
  ErrorTrend,
  Incident,
  MetricSeries,
  TimelineItem,
} from '@internal/plugin-product-os-common';
import type {
  DiagnosisQuery,
  DiagnosisStore,
} from '../database/anomalies/DiagnosisStore';
import type { ChangeQuery, ChangeStore } from '../database/changes/ChangeStore';
import type { IncidentStore } from '../database/incidents/IncidentStore';
import type { MetricStore } from '../database/metrics/MetricStore';
import type { ReadModel } from '../database/readModel/ReadModel';
import { iso } from '../database/rowValues';
import type { BucketedRange, TimeRange } from '../database/TimeRange';
import type { DiagnosisRedaction } from './redactDiagnoses';

/** What the entity views read from the stores themselves: whole records, a bounded page of them. */
export interface EntityRecords {
  changes: Pick<ChangeStore, 'getChangeEvents'>;
  incidents: Pick<IncidentStore, 'getIncidents'>;
  metrics: Pick<MetricStore, 'getMetricSeries'>;
  diagnoses: Pick<DiagnosisStore, 'listDiagnoses' | 'getDiagnosis'>;
}

/** How many of the newest diagnoses the timeline looks at. */
const TIMELINE_DIAGNOSES = 100;

/**
 * The views of one entity: its headline numbers, errors, changes, incidents, metrics, diagnoses
 * and case-file timeline. Numbers come from the read model (counted in SQL from aggregates);
 * records from the store, a bounded page at a time. Diagnoses are redacted for the caller, like
 * every diagnosis the API returns.
 */
export class EntityReadService {
  constructor(
    private readonly records: EntityRecords,
    private readonly readModel: ReadModel,
    private readonly redaction: DiagnosisRedaction,
  ) {}

  async overview(
    entityRef: string,
    range: BucketedRange,
    credentials: BackstageCredentials,
  ): Promise<EntityOverview> {
    const { counts, latestDiagnosisId } = await this.readModel.overviewNumbers(
      entityRef,
      range,
    );
    const latest =
      latestDiagnosisId === undefined
        ? undefined
        : await this.records.diagnoses.getDiagnosis(latestDiagnosisId);
    return {
      entityRef,
      window: { from: iso(range.from), to: iso(range.to) },
      errors: counts.errors,
      incidents: counts.incidents,
      deploys: counts.deploys,
      diagnoses: { open: counts.diagnoses.open },
      latestDiagnosis: latest
        ? (await this.redaction.redact([latest], credentials))[0]
        : undefined,
    };
  }

  errors(
    entityRef: string,
    range: TimeRange & { limit: number },
  ): Promise<ErrorGroup[]> {
    return this.readModel.errorGroupPage(entityRef, range);
  }

  async errorTrend(
    entityRef: string,
    range: BucketedRange & { bucket: BucketSize },
  ): Promise<ErrorTrend> {
    const [points, deploys] = await Promise.all([
      this.readModel.errorSeries(entityRef, range),
      this.records.changes.getChangeEvents(entityRef, {
        ...range,
        kinds: ['deployment'],
      }),
    ]);
    return {
      window: { from: iso(range.from), to: iso(range.to) },
      bucket: range.bucket,
      points,
      deploys,
    };
  }

  changes(entityRef: string, query: ChangeQuery): Promise<ChangeEvent[]> {
    return this.records.changes.getChangeEvents(entityRef, query);
  }

  incidents(entityRef: string, range: TimeRange): Promise<Incident[]> {
    return this.records.incidents.getIncidents(entityRef, range);
  }

  metrics(entityRef: string, range: BucketedRange): Promise<MetricSeries[]> {
    return this.records.metrics.getMetricSeries(entityRef, range);
  }

  async diagnoses(
    entityRef: string,
    query: Omit<DiagnosisQuery, 'entityRefs'>,
    credentials: BackstageCredentials,
  ): Promise<Diagnosis[]> {
    const items = await this.records.diagnoses.listDiagnoses({
      ...query,
      entityRefs: [entityRef],
    });
    return this.redaction.redact(items, credentials);
  }

  async timeline(
    entityRef: string,
    range: BucketedRange,
    credentials: BackstageCredentials,
  ): Promise<TimelineItem[]> {
    const [items, stored] = await Promise.all([
      this.readModel.timelineItems(entityRef, range),
      this.records.diagnoses.listDiagnoses({
        entityRefs: [entityRef],
        limit: TIMELINE_DIAGNOSES,
      }),
    ]);
    const inRange = (time: string) => {
      const ms = Date.parse(time);
      return ms >= range.from && ms < range.to;
    };
    const diagnoses = await this.redaction.redact(
      stored.filter(d => inRange(d.createdAt)),
      credentials,
    );
    return [
      ...items,
      ...diagnoses.map(d => ({
        type: 'diagnosis' as const,
        id: d.id,
        time: d.createdAt,
        title: d.summary,
      })),
      // A diagnosis rewritten as evidence arrived shows on the timeline when its conclusion
      // changed, not only when it was first written.
      ...diagnoses.flatMap(d =>
        (d.revisions ?? [])
          .slice(1)
          .filter(r => inRange(r.at))
          .map(r => ({
            type: 'diagnosis' as const,
            id: d.id,
            time: r.at,
            title: revisionTitle(r),
          })),
      ),
    ].sort(
      (a, b) => b.time.localeCompare(a.time) || a.type.localeCompare(b.type),
    );
  }
}

/** `Diagnosis revised: names Deploy 1a2b3c4 to production (81 %)`. */
function revisionTitle(revision: DiagnosisRevision): string {
  const percent = `${Math.round(revision.confidence * 100)} %`;
  return revision.verdict === 'suspect' && revision.change
    ? `Diagnosis revised: names ${revision.change.title} (${percent})`
    : `Diagnosis revised: not enough evidence to name a change (${percent})`;
}
