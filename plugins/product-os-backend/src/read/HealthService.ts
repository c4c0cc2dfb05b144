import { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { EntityHealth } from '@internal/plugin-product-os-common';
import { keyMetricsOf } from '@internal/plugin-product-os-common';
import type { Knex } from 'knex';
import type { BucketedRange } from '../database/TimeRange';
import type {
  EntityAccess,
  TrackedEntity,
  TrackedEntityFilter,
} from '../entities/EntityAccess';
import {
  computeHealth,
  EntityHealthResult,
  HealthSettings,
} from '../leaders/health/computeHealth';

/** The kinds the leaders' page lists. */
const HEALTH_KINDS = ['component', 'system'];

/**
 * The leaders' view: every component and system the caller may see that Product OS tracks, with
 * its health in a window, worst first, and every input of the score beside it. Its numbers take
 * a bounded number of statements for all the entities (`computeHealth`), whatever their number.
 */
export class HealthService {
  constructor(
    private readonly knex: Knex,
    private readonly entities: Pick<EntityAccess, 'listTracked'>,
    private readonly settings: HealthSettings,
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
    const results = await computeHealth(
      this.knex,
      tracked.map(t => ({
        entityRef: t.entityRef,
        keyMetrics: keyMetricsOf(t.entity.metadata.annotations),
      })),
      range,
      this.settings,
    );
    return tracked
      .map(t => health(t, results.get(t.entityRef)!))
      .sort(
        (a, b) =>
          a.score - b.score ||
          b.errors.events - a.errors.events ||
          a.entityRef.localeCompare(b.entityRef),
      );
  }
}

function health(
  tracked: TrackedEntity,
  result: EntityHealthResult,
): EntityHealth {
  const { entity, entityRef } = tracked;
  const { events, previousEvents, openIncidents, diagnosesNeedingHuman } =
    result.signals;
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
    score: result.score,
    inputs: result.inputs,
  };
}
