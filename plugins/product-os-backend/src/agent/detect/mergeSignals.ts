import type { AnomalyKind } from '@internal/plugin-product-os-common';
import type {
  AnomalyInput,
  AnomalyRecord,
} from '../../database/anomalies/AnomalyStore';
import type { AnomalyDetails, Signal, SignalGroup } from '../types';

/** An onset known at least this well is precise; an hour bucket is not. */
const PRECISE_MS = 15 * 60_000;

const KIND_ORDER: AnomalyKind[] = [
  'incident',
  'error_spike',
  'new_error_group',
  'regression',
  'metric_drop',
];

/**
 * Overlapping signals about one entity become one anomaly: signals whose onsets lie within
 * `mergeWindowMs` of the first onset of a cluster are one report, not five alerts.
 */
export function mergeSignals(
  entityRef: string,
  signals: Signal[],
  options: { mergeWindowMs: number; detectedAt: number },
): AnomalyInput[] {
  const sorted = [...signals].sort((a, b) => a.onsetAt - b.onsetAt);
  const clusters: Signal[][] = [];
  for (const signal of sorted) {
    const cluster = clusters[clusters.length - 1];
    if (
      cluster &&
      signal.onsetAt - cluster[0].onsetAt <= options.mergeWindowMs
    ) {
      cluster.push(signal);
    } else {
      clusters.push([signal]);
    }
  }
  return clusters.map(cluster =>
    combineSignals(entityRef, cluster, options.detectedAt),
  );
}

/**
 * Folds an anomaly's new signals into the stored one: the same signal seen again is updated.
 * Returns nothing when the incoming anomaly is new trouble rather than more of the stored one:
 * it began more than `mergeWindowMs` after it and brings a precisely timed signal the stored one
 * never had (an error group first seen hours into an open incident). Merged, that group's own
 * onset would give way to the older one and leave out the change that caused it.
 */
export function mergeAnomaly(
  existing: AnomalyRecord,
  incoming: AnomalyInput,
  mergeWindowMs = Infinity,
): AnomalyInput | undefined {
  const before = (existing.details as Partial<AnomalyDetails>).signals ?? [];
  const after =
    (incoming.details as Partial<AnomalyDetails> | undefined)?.signals ?? [];
  if (incoming.onsetAt - existing.onsetAt > mergeWindowMs) {
    const known = new Set(before.map(signalKey));
    const news = after.some(
      signal =>
        signal.onsetUncertaintyMs <= PRECISE_MS &&
        !known.has(signalKey(signal)),
    );
    if (news) return undefined;
  }
  const byKey = new Map<string, Signal>();
  for (const signal of [...before, ...after]) {
    const key = signalKey(signal);
    const seen = byKey.get(key);
    byKey.set(key, seen ? updateSignal(seen, signal) : signal);
  }
  if (byKey.size === 0) {
    // Nothing to recombine (records written without signals): keep the earliest onset.
    return {
      ...incoming,
      kinds: [...new Set([...existing.kinds, ...incoming.kinds])],
      onsetAt: Math.min(existing.onsetAt, incoming.onsetAt),
      detectedAt: existing.detectedAt,
      magnitude: Math.max(existing.magnitude, incoming.magnitude),
      score: Math.max(existing.score, incoming.score),
    };
  }
  return combineSignals(
    existing.entityRef,
    [...byKey.values()],
    existing.detectedAt,
  );
}

/** One anomaly from signals that overlap. */
export function combineSignals(
  entityRef: string,
  signals: Signal[],
  detectedAt: number,
): AnomalyInput {
  const { onsetAt, onsetUncertaintyMs } = chooseOnset(signals);
  const kinds = KIND_ORDER.filter(kind => signals.some(s => s.kind === kind));
  const errorSignals = signals.filter(s =>
    ['error_spike', 'new_error_group', 'regression'].includes(s.kind),
  );
  const metricSignals = signals.filter(s => s.kind === 'metric_drop');
  let magnitude = 1;
  if (errorSignals.length)
    magnitude = Math.max(...errorSignals.map(s => s.magnitude));
  else if (metricSignals.length)
    magnitude = Math.min(...metricSignals.map(s => s.magnitude));
  const score =
    1 - signals.reduce((p, s) => p * (1 - Math.min(s.score, 0.999)), 1);
  // Times in the store are whole milliseconds.
  const details: AnomalyDetails = {
    signals,
    onsetUncertaintyMs: Math.round(onsetUncertaintyMs),
  };
  return {
    entityRef,
    kinds,
    onsetAt: Math.round(onsetAt),
    detectedAt,
    magnitude: Math.round(magnitude * 1000) / 1000,
    score: Math.round(score * 1000) / 1000,
    details: details as unknown as Record<string, unknown>,
  };
}

/**
 * The best-known onset: where the new or rising error group behind the trouble first showed
 * (a new group's first event, a regression, a group's refined spike; the largest by excess),
 * else the earliest precise one (an incident: the 15 minutes before the alert), unless errors
 * were already elevated in an hour that ended before it. An incident's window or the entity's
 * refined total only bound the onset; taking the earliest of them had put it minutes before
 * the first event of the group, before the change that caused it.
 */
function chooseOnset(signals: Signal[]): {
  onsetAt: number;
  onsetUncertaintyMs: number;
} {
  const byOnset = [...signals].sort((a, b) => a.onsetAt - b.onsetAt);
  const precise = byOnset.filter(s => s.onsetUncertaintyMs <= PRECISE_MS);
  const observed = precise
    .filter(
      s =>
        s.kind === 'new_error_group' ||
        s.kind === 'regression' ||
        (s.kind === 'error_spike' && s.scope === 'group'),
    )
    .sort(
      (a, b) =>
        (b.groups?.[0]?.excess ?? 0) - (a.groups?.[0]?.excess ?? 0) ||
        a.onsetAt - b.onsetAt,
    );
  const chosen = observed[0] ?? precise[0];
  // Elevated errors before the chosen onset pull it back only when they can be the same
  // trouble: the entity's total, an incident or a metric, or the chosen group itself. Another
  // group's own burst an hour earlier, merged within the window, is not where this began.
  const chosenGroups = new Set((chosen?.groups ?? []).map(g => g.id));
  const related = byOnset.filter(
    s =>
      !chosen ||
      !isGroupSignal(s) ||
      !isGroupSignal(chosen) ||
      (s.groups ?? []).some(g => chosenGroups.has(g.id)),
  );
  const earliest = related[0] ?? byOnset[0];
  const earliestEnd = earliest.onsetAt + earliest.onsetUncertaintyMs;
  if (!chosen || earliestEnd < chosen.onsetAt) {
    // A wide window (a metric's hour, an entity's total) that ends minutes before the group's
    // first event bounds the onset, and the group says where in it: within one precise span
    // of that event. Taking the whole window had put the onset up to an hour early, so a
    // change live minutes before the first event scored as if most of the rise preceded it.
    const from =
      chosen && chosen.onsetAt - earliestEnd <= PRECISE_MS
        ? Math.max(earliest.onsetAt, chosen.onsetAt - PRECISE_MS)
        : earliest.onsetAt;
    return {
      onsetAt: from,
      onsetUncertaintyMs: Math.max(0, earliestEnd - from),
    };
  }
  return {
    onsetAt: chosen.onsetAt,
    onsetUncertaintyMs: chosen.onsetUncertaintyMs,
  };
}

/** A signal about one error group (its first events, its return, its own rise). */
function isGroupSignal(signal: Signal): boolean {
  return (
    signal.kind === 'new_error_group' ||
    signal.kind === 'regression' ||
    (signal.kind === 'error_spike' && signal.scope === 'group')
  );
}

/** What makes two signals the same one seen at different times. */
export function signalKey(signal: Signal): string {
  if (signal.incident) return `incident:${signal.incident.id}`;
  if (signal.metric) return `metric:${signal.metric.key}`;
  if (signal.kind !== 'error_spike')
    return `${signal.kind}:${signal.groups?.[0]?.id}`;
  return signal.scope === 'group'
    ? `error_spike:group:${signal.groups?.[0]?.id}`
    : 'error_spike:entity';
}

/**
 * The newer sighting with the better-known onset: an onset refined from the sampled events of a
 * young spike stays once the sample has moved on, as long as it lies inside the newer window.
 */
function updateSignal(older: Signal, newer: Signal): Signal {
  const olderInside =
    older.onsetAt >= newer.onsetAt &&
    older.onsetAt + older.onsetUncertaintyMs <=
      newer.onsetAt + newer.onsetUncertaintyMs;
  const onset =
    olderInside && older.onsetUncertaintyMs < newer.onsetUncertaintyMs
      ? older
      : newer;
  return {
    ...newer,
    onsetAt: onset.onsetAt,
    onsetUncertaintyMs: onset.onsetUncertaintyMs,
    groups: unionGroups(older.groups, newer.groups),
  };
}

function unionGroups(
  a: SignalGroup[] = [],
  b: SignalGroup[] = [],
): SignalGroup[] | undefined {
  if (a.length === 0 && b.length === 0) return undefined;
  const excess = new Map<number, number>();
  for (const g of [...a, ...b])
    excess.set(g.id, Math.max(excess.get(g.id) ?? 0, g.excess));
  return [...excess]
    .map(([id, value]) => ({ id, excess: value }))
    .sort((x, y) => y.excess - x.excess);
}
