import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { EntityFacts, keyMetricsOf } from '@internal/plugin-product-os-common';
import type { Knex } from 'knex';
import { iso } from '../database/rowValues';
import type { BucketedRange } from '../database/TimeRange';
import type {
  EntityAccess,
  TrackedEntity,
  TrackedEntityFilter,
} from '../entities/EntityAccess';
import { DAY_MS } from '../time';
import { computeHealth, HealthSettings } from '../leaders/health/computeHealth';
import {
  DeploymentFacts,
  deploymentFacts,
} from '../leaders/dora/deploymentFacts';
import { doraBands } from '../leaders/dora/doraBands';
import { doraFigures } from '../leaders/dora/doraFigures';
import { loadDoraRows } from '../leaders/dora/loadDoraRows';

/** The DORA window of the facts: long enough for a weekly deployer to have several deployments. */
export const FACTS_DORA_DAYS = 30;

/**
 * Each entity's figures as numbers, for scorecards and agents: the health score with its inputs
 * (`computeHealth`, as the leaders' page computes it) and the DORA figures of the last
 * {@link FACTS_DORA_DAYS} days, in a bounded number of statements for all the entities, whatever
 * their number.
 */
export class EntityFactsService {
  constructor(
    private readonly knex: Knex,
    private readonly entities: Pick<EntityAccess, 'listTracked'>,
    private readonly settings: HealthSettings,
  ) {}

  /** The facts of every tracked entity the caller may see, narrowed by `filter`. */
  async list(
    filter: TrackedEntityFilter,
    range: BucketedRange,
    credentials: BackstageCredentials,
  ): Promise<EntityFacts[]> {
    return this.of(await this.entities.listTracked(filter, credentials), range);
  }

  /** The facts of tracked entities the caller was already found to see, in the order given. */
  async of(
    tracked: TrackedEntity[],
    range: BucketedRange,
  ): Promise<EntityFacts[]> {
    if (tracked.length === 0) return [];
    const refs = tracked.map(t => t.entityRef);
    const doraRange = {
      from: range.to - FACTS_DORA_DAYS * DAY_MS,
      to: range.to,
    };
    const [health, doraRows] = await Promise.all([
      computeHealth(
        this.knex,
        tracked.map(t => ({
          entityRef: t.entityRef,
          keyMetrics: keyMetricsOf(t.entity.metadata.annotations),
        })),
        range,
        this.settings,
      ),
      loadDoraRows(this.knex, refs, doraRange, this.settings.environments),
    ]);
    const deployments = new Map<string, DeploymentFacts[]>();
    for (const d of deploymentFacts(doraRows)) {
      deployments.set(d.entityRef, [
        ...(deployments.get(d.entityRef) ?? []),
        d,
      ]);
    }
    const window = { from: iso(range.from), to: iso(range.to) };
    return refs.map(entityRef => {
      const { score, inputs, signals } = health.get(entityRef)!;
      const figures = doraFigures(deployments.get(entityRef) ?? [], doraRange);
      return {
        entityRef,
        window,
        healthScore: score,
        healthInputs: inputs,
        errors: {
          events: signals.events,
          previousEvents: signals.previousEvents,
          newGroups: signals.newErrorGroups,
          regressedGroups: signals.regressedErrorGroups,
        },
        openIncidents: signals.openIncidents,
        // computeHealth counts the waiting ones apart, so neither input counts a diagnosis twice.
        openDiagnoses: signals.openDiagnoses + signals.diagnosesNeedingHuman,
        diagnosesNeedingHuman: signals.diagnosesNeedingHuman,
        dora: {
          days: FACTS_DORA_DAYS,
          figures,
          bands: doraBands(figures),
        },
      };
    });
  }
}
