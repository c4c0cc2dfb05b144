import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  ChangeEvent,
  Diagnosis,
} from '@internal/plugin-product-os-common';
import type { AnomalyRecord } from '../../database/anomalies/AnomalyStore';
import type { OutcomeStore } from '../../database/outcomes/OutcomeStore';
import { bucketStart, DAY_MS, HOUR_MS } from '../../time';
import type { AgentStores } from '../AgentStores';
import { readDetails } from '../research/researchAnomaly';
import { findFix, liveAt } from './findFix';
import { judgeOutcome, OutcomeFacts } from './judgeOutcome';
import { baseConfidence } from './recalibrate';
import {
  errorsStopped,
  metricsRecovered,
  TroubleSignal,
} from './troubleStopped';

/** Diagnoses looked at per pass; the rest wait for the next one. */
const PER_PASS = 500;
/** How far before a suspect its entity's deployments are read: what a rollback could go back to. */
const HISTORY_MS = 30 * DAY_MS;
/** Deployment statuses of a deployment that never went live. */
const NOT_LIVE = new Set([
  'failure',
  'error',
  'failed',
  'cancelled',
  'canceled',
  'in_progress',
  'queued',
  'pending',
]);

export type OutcomeStores = Pick<
  AgentStores,
  'diagnoses' | 'anomalies' | 'changes' | 'errors' | 'metrics' | 'incidents'
> & { outcomes: OutcomeStore };

/** What one pass decided. */
export interface OutcomePass {
  decided: number;
  pending: number;
}

/**
 * Watches what happened after each diagnosis and records its outcome once it can be told (see
 * `judgeOutcome`): run after each scheduled pass of the agent. Every instance may run it; the
 * store keeps the first outcome written for a diagnosis.
 */
export class OutcomeEvaluator {
  constructor(
    private readonly options: {
      stores: OutcomeStores;
      logger: LoggerService;
      now?: () => number;
    },
  ) {}

  async evaluate(): Promise<OutcomePass> {
    const { stores, logger } = this.options;
    const now = Math.floor((this.options.now ?? Date.now)());
    const pass: OutcomePass = { decided: 0, pending: 0 };
    for (const id of await stores.outcomes.listUndecided(PER_PASS)) {
      try {
        const decided = await this.evaluateOne(id, now);
        if (decided) pass.decided += 1;
        else pass.pending += 1;
      } catch (error) {
        logger.error('Could not judge the outcome of a diagnosis', {
          diagnosisId: id,
          error: String(error),
        });
      }
    }
    return pass;
  }

  /**
   * Judges one diagnosis now (a person just rejected it); false when its outcome cannot be
   * told yet or was already recorded.
   */
  async evaluateDiagnosis(id: number): Promise<boolean> {
    return this.evaluateOne(id, Math.floor((this.options.now ?? Date.now)()));
  }

  private async evaluateOne(id: number, now: number): Promise<boolean> {
    const { stores } = this.options;
    const diagnosis = await stores.diagnoses.getDiagnosis(id);
    if (!diagnosis || diagnosis.anomalyId === undefined) return false;
    const anomaly = await stores.anomalies.getAnomalyRecord(
      diagnosis.anomalyId,
    );
    const facts = await this.facts(diagnosis, anomaly, now);
    const judgement = judgeOutcome(facts);
    if (!judgement) return false;
    const top = facts.suspect;
    await stores.outcomes.recordOutcome({
      diagnosisId: id,
      ...judgement,
      suspectChangeId: top?.id,
      ...(judgement.basis !== 'rejected' &&
        facts.fix && { fixChangeId: facts.fix.change.id, fixAt: facts.fix.at }),
      stoppedAt: judgement.basis === 'rejected' ? undefined : facts.stoppedAt,
      reason: facts.rejection?.reason,
      decidedBy: facts.rejection?.by,
      confidence: top ? baseConfidence(diagnosis) : 0,
      decidedAt: now,
    });
    return true;
  }

  private async facts(
    diagnosis: Diagnosis,
    anomaly: AnomalyRecord | undefined,
    now: number,
  ): Promise<OutcomeFacts> {
    const { stores } = this.options;
    const top = [...diagnosis.suspects].sort((a, b) => a.rank - b.rank)[0]
      ?.change;
    const createdAt = Date.parse(diagnosis.createdAt);
    const onsetAt = anomaly?.onsetAt ?? createdAt;
    const rejected =
      diagnosis.status === 'rejected'
        ? [...(diagnosis.history ?? [])]
            .reverse()
            .find(h => h.to === 'rejected')
        : undefined;
    const entityRef = diagnosis.entityRef;
    const recent = { from: onsetAt - DAY_MS, to: now + 1 };
    const [entityChanges, suspectChanges, history, stop] = await Promise.all([
      stores.changes.getChangeEvents(entityRef, recent),
      top && top.entityRef !== entityRef
        ? stores.changes.getChangeEvents(top.entityRef, recent)
        : undefined,
      top ? this.historyBefore(top, recent.from) : [],
      anomaly ? this.stopped(anomaly, now) : undefined,
    ]);
    const ofSuspect = [...(suspectChanges ?? entityChanges), ...history];
    const fix = top ? findFix(top, ofSuspect, onsetAt) : undefined;
    const others = [...entityChanges, ...(suspectChanges ?? [])].filter(
      c => c.id !== fix?.change.id && c.id !== top?.id,
    );
    return {
      named: diagnosis.verdict !== 'not_enough_evidence' && top !== undefined,
      createdAt,
      onsetAt,
      suspect: top,
      ...(rejected && {
        rejection: {
          reason: rejected.reason,
          by: rejected.by,
          at: Date.parse(rejected.at),
        },
      }),
      fix,
      stoppedAt: stop?.at,
      signal: stop?.signal ?? 'errors',
      otherChanges: liveChanges(others),
      now,
    };
  }

  /**
   * What a rollback of `suspect` could go back to, and what it shipped, from before `until` (the
   * recent changes are read apart): the deployments of its entity in the 30 days before it, and
   * the merges since the one before it.
   */
  private async historyBefore(
    suspect: ChangeEvent,
    until: number,
  ): Promise<ChangeEvent[]> {
    const { changes } = this.options.stores;
    const from = Math.min(until, liveAt(suspect) - HISTORY_MS);
    const deployments = await changes.getChangeEvents(suspect.entityRef, {
      kinds: ['deployment'],
      from,
      to: until,
    });
    const previous = deployments.find(
      d =>
        Date.parse(d.occurredAt) < Date.parse(suspect.occurredAt) &&
        (d.environment ?? '').toLowerCase() ===
          (suspect.environment ?? '').toLowerCase(),
    );
    const mergedFrom = previous ? Date.parse(previous.occurredAt) : from;
    const merges =
      mergedFrom < until
        ? await changes.getChangeEvents(suspect.entityRef, {
            kinds: ['pull_request', 'commit', 'change'],
            from: mergedFrom,
            to: until,
          })
        : [];
    return [...deployments, ...merges];
  }

  /**
   * When the anomaly's errors went quiet, or (without error groups) its key metrics were back,
   * or (without either) its incidents were resolved.
   */
  private async stopped(
    anomaly: AnomalyRecord,
    now: number,
  ): Promise<{ at?: number; signal: TroubleSignal }> {
    const { stores } = this.options;
    const signals = readDetails(anomaly).signals;
    const groups = new Set(
      signals.flatMap(s => (s.groups ?? []).map(g => g.id)),
    );
    if (groups.size > 0) {
      const buckets = await stores.errors.getErrorBuckets(anomaly.entityRef, {
        from: bucketStart(anomaly.onsetAt, HOUR_MS) - DAY_MS,
        to: now + 1,
      });
      const hourly = new Map(
        [...groups].map(id => [id, new Map<number, number>()]),
      );
      for (const b of buckets) {
        const group = hourly.get(b.groupId);
        group?.set(b.bucketStart, (group.get(b.bucketStart) ?? 0) + b.count);
      }
      return {
        at: errorsStopped([...hourly.values()], anomaly.onsetAt, now)
          ?.stoppedAt,
        signal: 'errors',
      };
    }
    const metrics = [
      ...new Set(signals.flatMap(s => (s.metric ? [s.metric.key] : []))),
    ];
    if (metrics.length > 0) {
      const points = await stores.metrics.getMetricPoints(
        anomaly.entityRef,
        {
          from: bucketStart(anomaly.onsetAt, HOUR_MS) - 4 * DAY_MS,
          to: now + 1,
        },
        metrics,
      );
      const hourly = new Map<number, number>();
      for (const p of points)
        hourly.set(p.bucketStart, (hourly.get(p.bucketStart) ?? 0) + p.count);
      return {
        at: metricsRecovered(hourly, anomaly.onsetAt, now),
        signal: 'metrics',
      };
    }
    const incidentIds = new Set(
      signals.flatMap(s => (s.incident ? [s.incident.id] : [])),
    );
    if (incidentIds.size === 0) return { signal: 'errors' };
    const incidents = await stores.incidents.getIncidents(anomaly.entityRef, {
      from: anomaly.onsetAt - DAY_MS,
      to: now + 1,
    });
    const resolved = incidents
      .filter(i => incidentIds.has(i.id))
      .map(i => (i.resolvedAt ? Date.parse(i.resolvedAt) : undefined));
    // Stopped when every incident of it was resolved.
    const at =
      resolved.length > 0 && resolved.every(r => r !== undefined)
        ? Math.max(...(resolved as number[]))
        : undefined;
    return { at, signal: 'incident' };
  }
}

/**
 * The changes that went live: deployments that did, change events and releases, and merges of
 * an entity that reports no deployments (where a merge is live).
 */
function liveChanges(changes: ChangeEvent[]): ChangeEvent[] {
  const deploying = new Set(
    changes.filter(c => c.kind === 'deployment').map(c => c.entityRef),
  );
  return changes.filter(c => {
    if (c.kind === 'deployment')
      return !NOT_LIVE.has((c.status ?? '').toLowerCase());
    if (c.kind === 'change' || c.kind === 'release') return true;
    if (
      c.kind === 'pull_request' &&
      c.status !== undefined &&
      c.status !== 'merged'
    )
      return false;
    return !deploying.has(c.entityRef);
  });
}
