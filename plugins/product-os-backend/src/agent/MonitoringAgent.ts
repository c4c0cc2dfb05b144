import { LoggerService } from '@backstage/backend-plugin-api';
import type { DiagnosisNarrator } from '@internal/plugin-product-os-node';
import { NotFoundError } from '@backstage/errors';
import type {
  ChangeEvent,
  Diagnosis,
  Evidence,
} from '@internal/plugin-product-os-common';
import type { AgentConfig } from '../config';
import type {
  AnomalyRecord,
  RecordAnomalyResult,
} from '../database/anomalies/AnomalyStore';
import type {
  DiagnosisInput,
  SaveDiagnosisResult,
} from '../database/anomalies/DiagnosisStore';
import { DAY_MS } from '../time';
import { AgentStores, listActiveEntities } from './AgentStores';
import { detectAnomalies } from './detect/detectAnomalies';
import { mergeAnomaly } from './detect/mergeSignals';
import { buildDiagnosis } from './diagnose/buildDiagnosis';
import { measureImpact } from './diagnose/measureImpact';
import { narrateDiagnosis } from './narrate/narrateDiagnosis';
import { mergeFlags, screenResearch } from './narrate/screenResearch';
import type { Recalibration } from './outcomes/recalibrate';
import { recalibrateSuspects } from './outcomes/recalibrate';
import type { CalibrationModel } from './research/calibrationTypes';
import { sameSha } from './research/gatherCandidates';
import { Research, researchAnomaly } from './research/researchAnomaly';
import type {
  EntityContext,
  EntityContextProvider,
  RankedSuspect,
} from './types';

/** An open anomaly not seen again for this long is over. */
const STALE_MS = DAY_MS;

/** What one run of the agent did for an entity. */
export interface AgentRunResult {
  entityRef: string;
  anomalies: {
    anomaly: AnomalyRecord;
    outcome: RecordAnomalyResult['outcome'];
    diagnosis?: { id: number; outcome: SaveDiagnosisResult['outcome'] };
  }[];
  /** Ids of anomalies closed because they were not seen again. */
  closed: number[];
}

export interface MonitoringAgentOptions {
  stores: AgentStores;
  entities: EntityContextProvider;
  config: AgentConfig;
  logger: LoggerService;
  /** The clock; scenarios replay timelines with their own. */
  now?: () => number;
  calibration?: CalibrationModel;
  /**
   * This installation's correction of the calibration from its diagnoses' outcomes
   * (`outcomes/recalibrate.ts`), applied after it; absent when `productOs.agent.outcomes.recalibrate`
   * is false.
   */
  recalibration?: { current(): Promise<Recalibration> };
  /**
   * Rewrites the deterministic summary (a module provides it); without one the deterministic
   * summary is saved. Untrusted text is screened and flagged either way.
   */
  narrator?: DiagnosisNarrator;
  /** A narration is abandoned after this long (`productOs.narrator.timeoutMs`). */
  narrationTimeoutMs?: number;
}

const DEFAULT_NARRATION_TIMEOUT_MS = 10_000;

/**
 * The diagnosis agent for one backend instance: per entity, detect anomalies, record them
 * (merged with any the store already has for the same onset), research the changes that could
 * have caused each, and save a diagnosis. Runs for one entity are serialized within the
 * instance; across instances the store's per-entity lock keeps anomalies and diagnoses single.
 */
export class MonitoringAgent {
  private readonly running = new Map<string, Promise<unknown>>();

  constructor(private readonly options: MonitoringAgentOptions) {}

  /** Whole milliseconds, as every time in the store is. */
  private now(): number {
    return Math.floor((this.options.now ?? Date.now)());
  }

  /** Runs for every entity with recent errors, metrics or incidents. */
  async runAll(): Promise<AgentRunResult[]> {
    const now = this.now();
    const { config, stores, logger } = this.options;
    const refs = await listActiveEntities(
      stores,
      now - config.detectWindowMs - DAY_MS,
    );
    const results: AgentRunResult[] = [];
    for (const ref of refs) {
      try {
        results.push(await this.runForEntity(ref));
      } catch (error) {
        logger.error('Diagnosis agent failed for an entity', {
          entityRef: ref,
          error: String(error),
        });
      }
    }
    return results;
  }

  /**
   * The entities with open anomalies that depend on `entityRef`: when its trouble is recorded
   * after theirs, their diagnoses have not seen it yet.
   */
  async openDependents(entityRef: string): Promise<string[]> {
    const { config, stores } = this.options;
    const refs = await listActiveEntities(
      stores,
      this.now() - config.detectWindowMs - DAY_MS,
    );
    const dependents: string[] = [];
    for (const ref of refs) {
      if (ref === entityRef) continue;
      // The store first: few entities have open anomalies, and each catalog look-up costs more.
      if ((await stores.anomalies.getOpenAnomalies(ref)).length === 0) continue;
      const entity = await this.options.entities.get(ref);
      if (entity.dependsOn.includes(entityRef)) dependents.push(ref);
    }
    return dependents;
  }

  /** Detects, records, researches and diagnoses the entity's anomalies now. */
  runForEntity(entityRef: string): Promise<AgentRunResult> {
    const previous = this.running.get(entityRef) ?? Promise.resolve();
    const run = previous
      .catch(() => undefined)
      .then(() => this.evaluate(entityRef));
    this.running.set(entityRef, run);
    run
      .catch(() => undefined)
      .finally(() => {
        if (this.running.get(entityRef) === run) this.running.delete(entityRef);
      });
    return run;
  }

  /**
   * Researches an anomaly again (after new data, or on request) and writes a new diagnosis,
   * whatever happened to the earlier ones.
   */
  async researchAgain(anomalyId: number, by: string): Promise<Diagnosis> {
    const { stores } = this.options;
    const anomaly = await stores.anomalies.getAnomalyRecord(anomalyId);
    if (!anomaly) throw new NotFoundError(`No anomaly ${anomalyId}`);
    const entity = await this.options.entities.get(anomaly.entityRef);
    const input = await this.diagnose(anomaly, entity, this.now(), {
      createdBy: by,
    });
    return stores.diagnoses.createDiagnosis(input!);
  }

  private async evaluate(entityRef: string): Promise<AgentRunResult> {
    const { stores, config, logger } = this.options;
    const now = this.now();
    const entity = await this.options.entities.get(entityRef);
    const found = await detectAnomalies(stores, entity, now, config);
    const result: AgentRunResult = { entityRef, anomalies: [], closed: [] };
    for (const input of found) {
      const recorded = await stores.anomalies.recordAnomaly(input, {
        mergeWindowMs: config.mergeWindowMs,
        merge: mergeAnomaly,
      });
      const entry: AgentRunResult['anomalies'][number] = {
        anomaly: recorded.anomaly,
        outcome: recorded.outcome,
      };
      const due =
        recorded.outcome === 'closed'
          ? 'no'
          : await this.diagnosisDue(recorded, entity);
      const diagnosis =
        due === 'no'
          ? undefined
          : await this.diagnose(recorded.anomaly, entity, now, {
              onlyIf:
                due === 'yes' ? undefined : research => !due.covers(research),
            });
      if (diagnosis) {
        const saved = await stores.diagnoses.saveAgentDiagnosis({
          ...diagnosis,
          anomalyId: recorded.anomaly.id,
        });
        entry.diagnosis = { id: saved.diagnosis.id, outcome: saved.outcome };
        logger.info('Diagnosed anomaly', {
          entityRef,
          anomalyId: recorded.anomaly.id,
          anomaly: recorded.outcome,
          diagnosisId: saved.diagnosis.id,
          diagnosis: saved.outcome,
          verdict: saved.diagnosis.verdict,
          actionability: saved.diagnosis.actionability,
        });
      }
      result.anomalies.push(entry);
    }
    const seen = new Set(result.anomalies.map(a => a.anomaly.id));
    for (const open of await stores.anomalies.getOpenAnomalies(entityRef)) {
      if (!seen.has(open.id) && open.updatedAt < now - STALE_MS) {
        await stores.anomalies.closeAnomaly(open.id);
        result.closed.push(open.id);
      }
    }
    return result;
  }

  /**
   * A new or changed anomaly is diagnosed; an unchanged one while its diagnosis is still
   * collecting evidence (or it has none), so a diagnosis people read does not churn. An open
   * diagnosis of an entity with dependencies is also researched again, and rewritten only when
   * the dependencies in trouble around the onset are no longer those it shows: a dependency's
   * errors often arrive after the downstream page that started the research, and the diagnosis
   * would otherwise never mention them.
   */
  private async diagnosisDue(
    recorded: RecordAnomalyResult,
    entity: EntityContext,
  ): Promise<'yes' | 'no' | { covers: (research: Research) => boolean }> {
    if (recorded.outcome === 'created' || recorded.outcome === 'merged')
      return 'yes';
    const [latest] = await this.options.stores.diagnoses.listDiagnoses({
      anomalyId: recorded.anomaly.id,
      limit: 1,
    });
    if (!latest) return 'yes';
    if (latest.status !== 'open') return 'no';
    if (latest.actionability === 'collecting') return 'yes';
    if (entity.dependsOn.length === 0) return 'no';
    const shown = troubledDependencyRefs(latest.evidence);
    return {
      covers: research =>
        sameRefs(
          shown,
          research.troubledDependencies.map(d => d.entityRef),
        ),
    };
  }

  /**
   * Researches the anomaly and builds its diagnosis; with `onlyIf`, stops after the research
   * (before any screening or narration) unless it says the diagnosis should be written.
   */
  private async diagnose(
    anomaly: AnomalyRecord,
    entity: EntityContext,
    now: number,
    options: { createdBy?: string; onlyIf?: (research: Research) => boolean },
  ): Promise<DiagnosisInput | undefined> {
    const { createdBy } = options;
    const { stores, config } = this.options;
    const dependencies = await Promise.all(
      entity.dependsOn.map(ref => this.options.entities.get(ref)),
    );
    const researched = await researchAnomaly({
      stores,
      anomaly,
      entity,
      dependencies,
      now,
      config,
      calibration: this.options.calibration,
    });
    if (options.onlyIf && !options.onlyIf(researched)) return undefined;
    // The one place the installation's outcomes adjust confidence: after the built-in
    // calibration, before anything reads the confidences (the verdict, the next step).
    const recalibrated = this.options.recalibration
      ? recalibrateSuspects(
          researched.suspects,
          await this.options.recalibration.current(),
        )
      : { suspects: researched.suspects };
    const research = { ...researched, suspects: recalibrated.suspects };
    // Screening comes first, for every signal, whether or not a narrator is configured.
    const screened = screenResearch(research);
    const top = research.suspects[0];
    const [impact, previousDeployment] = await Promise.all([
      measureImpact(stores.errors, research, now),
      top && top.confidence >= config.minConfidence
        ? this.previousDeployment(top)
        : undefined,
    ]);
    const diagnosis = buildDiagnosis({
      research,
      entity,
      dependencyOwners: new Map(dependencies.map(d => [d.entityRef, d.owner])),
      impact,
      previousDeployment,
      now,
      config,
      createdBy,
    });
    const changes = research.suspects
      .slice(0, config.maxSuspects)
      .map(s => s.candidate.change);
    // Screens the diagnosis' own text too; narrates only when there is a narrator.
    const narration = await narrateDiagnosis(
      this.options.narrator,
      { diagnosis, changes },
      {
        timeoutMs:
          this.options.narrationTimeoutMs ?? DEFAULT_NARRATION_TIMEOUT_MS,
        logger: this.options.logger,
      },
    );
    return {
      ...diagnosis,
      summary: narration.summary,
      evidence: [
        ...diagnosis.evidence,
        ...(recalibrated.evidence ? [recalibrated.evidence] : []),
        ...mergeFlags(screened, narration.flags),
      ],
    };
  }

  /** The last successful deployment of the same environment before a suspect deployment. */
  private async previousDeployment(
    suspect: RankedSuspect,
  ): Promise<ChangeEvent | undefined> {
    const { change, entityRef, liveAt } = suspect.candidate;
    if (change.kind !== 'deployment') return undefined;
    const earlier = await this.options.stores.changes.getChangeEvents(
      entityRef,
      {
        kinds: ['deployment'],
        from: liveAt - 30 * DAY_MS,
        to: liveAt,
        limit: 50,
      },
    );
    return earlier.find(
      d =>
        d.id !== change.id &&
        d.sha &&
        !sameSha(d.sha, change.sha) &&
        (d.environment ?? '') === (change.environment ?? '') &&
        ['success', 'inactive', undefined].includes(d.status),
    );
  }
}

/** The dependencies a diagnosis shows in trouble (its `dependency` evidence). */
function troubledDependencyRefs(evidence: Evidence[]): string[] {
  return evidence.flatMap(e =>
    e.kind === 'dependency' && typeof e.facts?.entityRef === 'string'
      ? [e.facts.entityRef]
      : [],
  );
}

function sameRefs(a: string[], b: string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every(ref => right.has(ref));
}
