import type { Knex } from 'knex';
import type { BucketedRange } from '../../database/TimeRange';
import { errorTotals } from '../../database/readModel/errorTotals';
import {
  HealthBreakdown,
  healthBreakdown,
  HealthSignals,
  HealthWeights,
} from '../../read/healthScore';
import { deploymentFacts } from '../dora/deploymentFacts';
import { doraFigures, lowerMedian } from '../dora/doraFigures';
import { loadDoraRows } from '../dora/loadDoraRows';
import { loadHealthRows } from './loadHealthRows';

/** An entity to score, with the key metrics its annotations name. */
export interface HealthSubject {
  entityRef: string;
  keyMetrics: string[];
}

export interface HealthSettings {
  weights: HealthWeights;
  /** Deployment environments that count as production (empty: all). */
  environments: string[];
}

export interface EntityHealthResult extends HealthBreakdown {
  signals: Required<HealthSignals>;
  /** Production deployments that finished in the window. */
  deployments: number;
  /** Incidents created in the window. */
  incidents: number;
}

/**
 * The health of many entities in a window, ending at `range.to` (now, or the end of a past day
 * for a snapshot), in a bounded number of statements: the error totals, the health rows and the
 * DORA rows, each a few statements per 500 entities.
 */
export async function computeHealth(
  knex: Knex,
  subjects: HealthSubject[],
  range: BucketedRange,
  settings: HealthSettings,
): Promise<Map<string, EntityHealthResult>> {
  const refs = subjects.map(s => s.entityRef);
  const [errors, rows, doraRows] = await Promise.all([
    errorTotals(knex, refs, range),
    loadHealthRows(knex, refs, range),
    loadDoraRows(knex, refs, range, settings.environments),
  ]);
  const facts = deploymentFacts(doraRows);
  const factsByEntity = new Map<string, typeof facts>();
  for (const f of facts) {
    factsByEntity.set(f.entityRef, [
      ...(factsByEntity.get(f.entityRef) ?? []),
      f,
    ]);
  }
  const result = new Map<string, EntityHealthResult>();
  for (const { entityRef, keyMetrics } of subjects) {
    const totals = errors.get(entityRef) ?? { events: 0, previousEvents: 0 };
    const diagnoses = rows.openDiagnoses.get(entityRef) ?? {
      open: 0,
      waitingForAPerson: 0,
    };
    const metrics = rows.metricTotals.get(entityRef);
    const dora = doraFigures(factsByEntity.get(entityRef) ?? [], range);
    const drops = keyMetrics.map(metric => {
      const m = metrics?.get(metric);
      return m && m.previous > 0 ? Math.max(0, 1 - m.current / m.previous) : 0;
    });
    const signals: Required<HealthSignals> = {
      events: totals.events,
      previousEvents: totals.previousEvents,
      errorBaseline:
        totals.previousEvents > 0 || rows.errorBaseline.has(entityRef),
      openIncidents: rows.openIncidents.get(entityRef) ?? 0,
      diagnosesNeedingHuman: diagnoses.waitingForAPerson,
      openDiagnoses: diagnoses.open - diagnoses.waitingForAPerson,
      newErrorGroups: rows.newErrorGroups.get(entityRef) ?? 0,
      regressedErrorGroups: rows.regressedErrorGroups.get(entityRef) ?? 0,
      keyMetricDrop: Math.max(0, ...drops),
      mttrHours: lowerMedian(rows.resolutionHours.get(entityRef) ?? []),
      changeFailureRate: dora.changeFailureRate,
    };
    result.set(entityRef, {
      ...healthBreakdown(signals, settings.weights),
      signals,
      deployments: dora.deployments,
      incidents: rows.createdIncidents.get(entityRef) ?? 0,
    });
  }
  return result;
}
