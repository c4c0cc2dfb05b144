import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type {
  EntityOverview,
  TimelineItem,
} from '@internal/plugin-product-os-common';
import type { BucketedRange, ProductOsStore } from '../database/ProductOsStore';
import { iso } from '../database/rows';
import type { DiagnosisRedaction } from './redactDiagnoses';

/**
 * The composed views of an entity: its headline numbers and its case-file timeline. Diagnoses
 * in them are redacted for the caller, like every diagnosis the API returns.
 */
export class EntityReadService {
  constructor(
    private readonly store: ProductOsStore,
    private readonly redaction: DiagnosisRedaction,
  ) {}

  async overview(
    entityRef: string,
    range: BucketedRange,
    credentials: BackstageCredentials,
  ): Promise<EntityOverview> {
    const span = range.to - range.from;
    const previous = { ...range, from: range.from - span, to: range.from };
    const [groups, series, previousSeries, incidents, deploys, diagnoses] =
      await Promise.all([
        this.store.getErrorGroups(entityRef, { ...range, limit: 500 }),
        this.store.getErrorSeries(entityRef, range),
        this.store.getErrorSeries(entityRef, previous),
        this.store.getIncidents(entityRef, range),
        this.store.getChangeEvents(entityRef, {
          ...range,
          kinds: ['deployment'],
        }),
        this.store.listDiagnoses({ entityRefs: [entityRef], limit: 50 }),
      ]);
    const sum = (points: { value: number }[]) =>
      points.reduce((s, p) => s + p.value, 0);
    return {
      entityRef,
      window: { from: iso(range.from), to: iso(range.to) },
      errors: {
        events: sum(series),
        previousEvents: sum(previousSeries),
        groups: groups.length,
        newGroups: groups.filter(g => g.isNew).length,
      },
      incidents: {
        open: incidents.filter(i => i.status !== 'resolved').length,
        total: incidents.length,
      },
      deploys: deploys.length,
      diagnoses: { open: diagnoses.filter(d => d.status === 'open').length },
      latestDiagnosis: diagnoses[0]
        ? (await this.redaction.redact([diagnoses[0]], credentials))[0]
        : undefined,
    };
  }

  async timeline(
    entityRef: string,
    range: BucketedRange,
    credentials: BackstageCredentials,
  ): Promise<TimelineItem[]> {
    const [changes, incidents, groups, anomalies, stored] = await Promise.all([
      this.store.getChangeEvents(entityRef, {
        ...range,
        kinds: ['deployment', 'pull_request', 'release', 'change'],
      }),
      this.store.getIncidents(entityRef, range),
      this.store.getErrorGroups(entityRef, { ...range, limit: 500 }),
      this.store.getAnomalies(entityRef, range),
      this.store.listDiagnoses({ entityRefs: [entityRef], limit: 100 }),
    ]);
    const inRange = (time: string) => {
      const ms = Date.parse(time);
      return ms >= range.from && ms < range.to;
    };
    const diagnoses = await this.redaction.redact(
      stored.filter(d => inRange(d.createdAt)),
      credentials,
    );
    const items: TimelineItem[] = [
      ...changes.map(c => ({
        type: c.kind,
        id: c.id,
        time: c.occurredAt,
        title: c.title,
        url: c.url,
      })),
      ...incidents.map(i => ({
        type: 'incident' as const,
        id: i.id,
        time: i.createdAt,
        title: i.title,
        url: i.url,
      })),
      // An error group belongs on the axis where it first appeared; older groups are background.
      ...groups
        .filter(g => g.isNew || g.isRegressed)
        .map(g => ({
          type: 'error_group' as const,
          id: g.id,
          time: g.isNew ? g.firstSeen : g.lastSeen,
          title: `${g.isNew ? 'New' : 'Regressed'}: ${g.title}`,
          url: g.permalink,
        })),
      ...anomalies.map(a => ({
        type: 'anomaly' as const,
        id: a.id,
        time: a.onsetAt,
        title: `Anomaly: ${a.kinds.join(', ')}`,
      })),
      ...diagnoses.map(d => ({
        type: 'diagnosis' as const,
        id: d.id,
        time: d.createdAt,
        title: d.summary,
      })),
    ];
    return items
      .filter(item => inRange(item.time))
      .sort(
        (a, b) => b.time.localeCompare(a.time) || a.type.localeCompare(b.type),
      );
  }
}
