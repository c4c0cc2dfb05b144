import { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { EntityHealth } from '@internal/plugin-product-os-common';
import type { BucketedRange } from '../database/TimeRange';
import type { ReadModel } from '../database/readModel/ReadModel';
import type {
  EntityAccess,
  TrackedEntity,
  TrackedEntityFilter,
} from '../entities/EntityAccess';
import { healthScore, HealthSignals } from './healthScore';

/** The kinds the leaders' page lists. */
const HEALTH_KINDS = ['component', 'system'];

/**
 * The leaders' view: every component and system the caller may see that Product OS tracks, with
 * its health in a window, worst first. Its numbers are three statements for all the entities
 * (error totals, incident counts, open diagnoses), whatever their number.
 */
export class HealthService {
  constructor(
    private readonly readModel: ReadModel,
    private readonly entities: Pick<EntityAccess, 'listTracked'>,
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
    const refs = tracked.map(t => t.entityRef);
    const [errors, incidents, diagnoses] = await Promise.all([
      this.readModel.errorTotals(refs, range),
      this.readModel.incidentCounts(refs, range),
      this.readModel.openDiagnosisCounts(refs),
    ]);
    return tracked
      .map(t =>
        health(t, {
          ...(errors.get(t.entityRef) ?? { events: 0, previousEvents: 0 }),
          openIncidents: incidents.get(t.entityRef)?.open ?? 0,
          diagnosesNeedingHuman:
            diagnoses.get(t.entityRef)?.waitingForAPerson ?? 0,
        }),
      )
      .sort(
        (a, b) =>
          a.score - b.score ||
          b.errors.events - a.errors.events ||
          a.entityRef.localeCompare(b.entityRef),
      );
  }
}

function health(tracked: TrackedEntity, signals: HealthSignals): EntityHealth {
  const { entity, entityRef } = tracked;
  const { events, previousEvents, openIncidents, diagnosesNeedingHuman } =
    signals;
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
    score: healthScore(signals),
  };
}
