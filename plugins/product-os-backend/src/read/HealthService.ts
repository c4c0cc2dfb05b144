import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  WAITING_FOR_A_PERSON,
  type EntityHealth,
} from '@internal/plugin-product-os-common';
import type { BucketedRange, ProductOsStore } from '../database/ProductOsStore';
import type {
  EntityAccess,
  TrackedEntity,
  TrackedEntityFilter,
} from '../entities/EntityAccess';
import { healthScore } from './healthScore';

/** The kinds the leaders' page lists. */
const HEALTH_KINDS = ['component', 'system'];

/** How many entities are read from the store at once. */
const CONCURRENCY = 4;

/** Open diagnoses needing a human are counted from at most this many per batch of entities. */
const DIAGNOSES_PER_BATCH = 500;

/**
 * The leaders' view: every component and system the caller may see that Product OS tracks, with
 * its health in a window, worst first.
 */
export class HealthService {
  constructor(
    private readonly store: ProductOsStore,
    private readonly entities: EntityAccess,
  ) {}

  async list(
    filter: Omit<TrackedEntityFilter, 'kinds'>,
    range: BucketedRange,
    credentials: BackstageCredentials,
  ): Promise<EntityHealth[]> {
    const tracked = await this.entities.listTracked(
      { ...filter, kinds: HEALTH_KINDS },
      credentials,
    );
    const needingHuman = await this.countDiagnosesNeedingHuman(
      tracked.map(t => t.entityRef),
    );
    const rows: EntityHealth[] = [];
    for (let i = 0; i < tracked.length; i += CONCURRENCY) {
      rows.push(
        ...(await Promise.all(
          tracked
            .slice(i, i + CONCURRENCY)
            .map(t =>
              this.health(t, range, needingHuman.get(t.entityRef) ?? 0),
            ),
        )),
      );
    }
    return rows.sort(
      (a, b) =>
        a.score - b.score ||
        b.errors.events - a.errors.events ||
        a.entityRef.localeCompare(b.entityRef),
    );
  }

  private async health(
    tracked: TrackedEntity,
    range: BucketedRange,
    diagnosesNeedingHuman: number,
  ): Promise<EntityHealth> {
    const { entity, entityRef } = tracked;
    const span = range.to - range.from;
    const [series, previousSeries, incidents] = await Promise.all([
      this.store.getErrorSeries(entityRef, range),
      this.store.getErrorSeries(entityRef, {
        ...range,
        from: range.from - span,
        to: range.from,
      }),
      this.store.getIncidents(entityRef, range),
    ]);
    const events = series.reduce((sum, p) => sum + p.value, 0);
    const previousEvents = previousSeries.reduce((sum, p) => sum + p.value, 0);
    const openIncidents = incidents.filter(i => i.status !== 'resolved').length;
    const lifecycle = entity.spec?.lifecycle;
    return {
      entityRef,
      ...(entity.metadata.title && { title: entity.metadata.title }),
      kind: entity.kind,
      ...(tracked.ownerRef && { owner: tracked.ownerRef }),
      ...(tracked.systemRef && { system: tracked.systemRef }),
      ...(typeof lifecycle === 'string' && { lifecycle }),
      errors: { events, previousEvents },
      openIncidents,
      diagnosesNeedingHuman,
      score: healthScore({
        events,
        previousEvents,
        openIncidents,
        diagnosesNeedingHuman,
      }),
    };
  }

  /** Open diagnoses that wait for a person (`WAITING_FOR_A_PERSON`), per entity. */
  private async countDiagnosesNeedingHuman(
    entityRefs: string[],
  ): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (let i = 0; i < entityRefs.length; i += 200) {
      const diagnoses = await this.store.listDiagnoses({
        entityRefs: entityRefs.slice(i, i + 200),
        statuses: ['open'],
        actionability: [...WAITING_FOR_A_PERSON],
        limit: DIAGNOSES_PER_BATCH,
      });
      for (const d of diagnoses)
        counts.set(d.entityRef, (counts.get(d.entityRef) ?? 0) + 1);
    }
    return counts;
  }
}
