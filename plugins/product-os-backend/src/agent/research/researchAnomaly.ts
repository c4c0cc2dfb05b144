import type { AgentConfig } from '../../config';
import type { AnomalyRecord } from '../../database/anomalies/AnomalyStore';
import type { ErrorGroupRecord } from '../../database/errors/ErrorStore';
import { HOUR_MS } from '../../time';
import type { AgentStores } from '../AgentStores';
import { detectSignals, SignalStores } from '../detect/detectAnomalies';
import type {
  AnomalyDetails,
  EntityContext,
  RankedSuspect,
  Signal,
} from '../types';
import type { CalibrationModel } from './calibrationTypes';
import { ScopeGroup, toShares } from './features/scopeGroups';
import { dependencyCalls } from './features/dependencyCalls';
import { gatherCandidates } from './gatherCandidates';
import { rankSuspects } from './rankSuspects';
import { trafficExplained, trafficRange } from './trafficRise';

/** Changes merged this long before the lookback may still have shipped inside it. */
const MERGE_MARGIN_MS = 6 * HOUR_MS;
/** A dependency's own trouble counts when it began this close to the anomaly's onset. */
const DEPENDENCY_BEFORE_MS = 2 * HOUR_MS;
const DEPENDENCY_AFTER_MS = HOUR_MS;
/** Error groups first seen from this long before the onset are "new" around it. */
const NEW_GROUP_BEFORE_MS = HOUR_MS;
/**
 * ... and until this long after the onset's window: a group first appearing hours after a key
 * metric fell is other trouble, not a sign that the change before the drop was new code going
 * wrong.
 */
const NEW_GROUP_AFTER_MS = HOUR_MS;
/** New groups with fewer events than this are noise, not novelty. */
const NEW_GROUP_MIN_EVENTS = 3;

/** What research found out about an anomaly. */
export interface Research {
  anomaly: AnomalyRecord;
  details: AnomalyDetails;
  /** Error groups behind the anomaly with their shares. */
  groups: ScopeGroup[];
  /** Dependencies in trouble around the onset, with what they show. */
  troubledDependencies: { entityRef: string; signals: Signal[] }[];
  /** How many candidate changes were considered. */
  candidateCount: number;
  /** Every candidate, best first. */
  suspects: RankedSuspect[];
}

/**
 * Gathers the changes of the entity and its dependencies in the lookback before the anomaly's
 * onset and ranks them on the evidence the store holds.
 */
export async function researchAnomaly(options: {
  stores: SignalStores & Pick<AgentStores, 'changes'>;
  anomaly: AnomalyRecord;
  entity: EntityContext;
  dependencies: EntityContext[];
  now: number;
  config: AgentConfig;
  calibration?: CalibrationModel;
}): Promise<Research> {
  const { stores, anomaly, entity, now, config } = options;
  const details = readDetails(anomaly);
  const onsetAt = anomaly.onsetAt;
  const uncertainty = details.onsetUncertaintyMs;

  const excess = new Map<number, number>();
  for (const signal of details.signals) {
    for (const g of signal.groups ?? [])
      excess.set(g.id, Math.max(excess.get(g.id) ?? 0, g.excess));
  }
  const [anomalyGroups, recentGroups, changes] = await Promise.all([
    stores.errors.getErrorGroupRecords(entity.entityRef, {
      ids: [...excess.keys()],
    }),
    stores.errors.getErrorGroupRecords(entity.entityRef, {
      lastSeenFrom: onsetAt - NEW_GROUP_BEFORE_MS,
    }),
    stores.changes.getChangeEventsForEntities(
      [entity.entityRef, ...entity.dependsOn],
      {
        from: onsetAt - config.lookbackMs - MERGE_MARGIN_MS,
        to: onsetAt + uncertainty + 1,
      },
    ),
  ]);
  const groups = toShares(anomalyGroups, g => excess.get(g.id) ?? 0);
  const newGroups = new Map<string, ScopeGroup[]>();
  newGroups.set(
    entity.entityRef,
    newAround(
      recentGroups,
      onsetAt,
      Math.min(now, onsetAt + uncertainty + NEW_GROUP_AFTER_MS),
    ),
  );

  const dependencyGroups = new Map<string, ScopeGroup[]>();
  const troubledDependencies: Research['troubledDependencies'] = [];
  for (const dependency of options.dependencies) {
    const signals = (
      await detectSignals(
        stores,
        { ...dependency, keyMetrics: [] },
        now,
        config,
      )
    ).filter(
      s =>
        s.kind !== 'incident' &&
        s.onsetAt + s.onsetUncertaintyMs >= onsetAt - DEPENDENCY_BEFORE_MS &&
        s.onsetAt <= onsetAt + uncertainty + DEPENDENCY_AFTER_MS,
    );
    const depExcess = new Map<number, number>();
    for (const signal of signals) {
      for (const g of signal.groups ?? [])
        depExcess.set(g.id, Math.max(depExcess.get(g.id) ?? 0, g.excess));
    }
    const depRecent = await stores.errors.getErrorGroupRecords(
      dependency.entityRef,
      {
        lastSeenFrom: onsetAt - DEPENDENCY_BEFORE_MS,
      },
    );
    const depGroups = depRecent.filter(g => depExcess.has(g.id));
    if (depGroups.length) {
      dependencyGroups.set(
        dependency.entityRef,
        toShares(depGroups, g => depExcess.get(g.id) ?? 0),
      );
      troubledDependencies.push({ entityRef: dependency.entityRef, signals });
    }
    const depNew = newAround(
      depRecent,
      onsetAt - DEPENDENCY_BEFORE_MS + NEW_GROUP_BEFORE_MS,
      Math.min(now, onsetAt + uncertainty + DEPENDENCY_AFTER_MS),
    );
    if (depNew.length) newGroups.set(dependency.entityRef, depNew);
  }

  const traffic = await trafficOf(stores, entity, details, onsetAt, now);
  const candidates = gatherCandidates({
    entity,
    onsetAt,
    onsetUncertaintyMs: uncertainty,
    changes,
    config,
  });
  const suspects = rankSuspects(
    candidates,
    {
      entityRef: entity.entityRef,
      onsetAt,
      onsetUncertaintyMs: uncertainty,
      groups,
      dependencyGroups,
      dependencyCalls: dependencyCalls(groups, options.dependencies),
      newGroups,
      metrics: details.signals.flatMap(s => (s.metric ? [s.metric.key] : [])),
      trafficShare: traffic,
    },
    options.calibration,
  );
  return {
    anomaly,
    details,
    groups,
    troubledDependencies,
    candidateCount: candidates.length,
    suspects,
  };
}

/** How much of the anomaly's error rise the entity's key metrics rising with it explain. */
async function trafficOf(
  stores: SignalStores,
  entity: EntityContext,
  details: AnomalyDetails,
  onsetAt: number,
  now: number,
): Promise<number> {
  const spikes = details.signals.filter(s => s.kind === 'error_spike');
  if (!entity.keyMetrics.length || !spikes.length) return 0;
  const points = await stores.metrics.getMetricPoints(
    entity.entityRef,
    trafficRange(onsetAt, now),
    entity.keyMetrics,
  );
  return trafficExplained({
    points,
    onsetAt,
    now,
    errorRatio: Math.max(...spikes.map(s => s.magnitude)),
  }).share;
}

/** Groups first seen between an hour before the onset and `until`, with enough events to matter. */
function newAround(
  groups: ErrorGroupRecord[],
  onsetAt: number,
  until: number,
): ScopeGroup[] {
  const fresh = groups.filter(
    g =>
      g.firstSeen >= onsetAt - NEW_GROUP_BEFORE_MS &&
      g.firstSeen <= until &&
      g.eventCount >= NEW_GROUP_MIN_EVENTS,
  );
  return toShares(fresh, g => g.eventCount);
}

export function readDetails(anomaly: AnomalyRecord): AnomalyDetails {
  const details = anomaly.details as Partial<AnomalyDetails>;
  return {
    signals: details.signals ?? [],
    onsetUncertaintyMs: details.onsetUncertaintyMs ?? 0,
  };
}
