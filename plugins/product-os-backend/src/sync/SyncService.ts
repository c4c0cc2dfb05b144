import type {
  LoggerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import type {
  EntitySyncStatus,
  PullSyncStatus,
  SourceId,
  SourceSyncStatus,
} from '@internal/plugin-product-os-common';
import {
  AnnotatedEntity,
  DEFAULT_SCOPES_PER_RUN,
  groupByScope,
  ProductOsPull,
  ProductOsSource,
  ProductOsSourceStore,
  PullRunReport,
  runPull,
  scheduleFrequencyMs,
  syncScopeKey,
} from '@internal/plugin-product-os-node';
import type { SyncStore } from '../database/sync/SyncStore';
import type { PullEntities } from './CatalogPullEntities';

/** A pull as the host schedules it: its source, and the schedule config may have replaced. */
export interface ScheduledPull {
  source: ProductOsSource;
  pull: ProductOsPull;
  schedule: SchedulerServiceTaskScheduleDefinition;
}

/** A sync now that takes longer than its pull's timeout is cancelled like a scheduled run. */
const DEFAULT_TIMEOUT_MS = 5 * 60_000;

/**
 * The pull side of the sources: the scheduled runs of every pull over the entities it serves,
 * the sync state of one entity (what its page shows) and "sync now" of one entity's scopes.
 */
export class SyncService {
  /** What each pull's last scheduled run on this instance saw, to estimate the next runs. */
  private readonly lastRuns = new Map<string, { at: number; scopes: number }>();
  /** Entities with a sync now in progress on this instance. */
  private readonly syncing = new Set<string>();

  constructor(
    private readonly options: {
      pulls: ScheduledPull[];
      /** Sources whose pull side is not configured: entity pages say how to connect them. */
      unconfigured: {
        source: string;
        howToConnect: string;
        annotations: string[];
      }[];
      entities: PullEntities;
      /** The host's ingest tail, without the limit on unclaimed keys (a pull cannot slow down). */
      store: ProductOsSourceStore;
      states: SyncStore;
      logger: LoggerService;
      now?: () => number;
    },
  ) {}

  /** `product-os.<source>.<pullId>`, the scheduler task of a pull. */
  static taskId(source: string, pullId: string): string {
    return `product-os.${source}.${pullId}`;
  }

  get pulls(): ScheduledPull[] {
    return this.options.pulls;
  }

  /** One scheduled run of a pull over every entity it serves. */
  async runScheduled(
    scheduled: ScheduledPull,
    signal: AbortSignal,
  ): Promise<PullRunReport> {
    const { source, pull } = scheduled;
    const logger = this.options.logger.child({
      task: SyncService.taskId(source.id, pull.id),
    });
    const at = this.now();
    const report = await runPull({
      source: source.id as SourceId,
      pull,
      entities: await this.options.entities.withAnyAnnotation(pull.annotations),
      store: this.options.store,
      logger,
      signal,
      now: () => this.now(),
    });
    this.lastRuns.set(SyncService.taskId(source.id, pull.id), {
      at,
      scopes: report.scopes,
    });
    const failed = report.pulled.filter(o => o.outcome !== 'succeeded');
    logger.info('Pull run finished', {
      scopes: report.scopes,
      pulled: report.pulled.length,
      failed: failed.length,
      waiting: report.waiting,
      aborted: report.aborted,
    });
    return report;
  }

  /** Where each source's pulls stand for an entity. */
  async status(entity: AnnotatedEntity): Promise<EntitySyncStatus> {
    const sources: SourceSyncStatus[] = [];
    for (const { source, howToConnect, annotations } of this.options
      .unconfigured) {
      if (annotations.some(a => entity.annotations[a] !== undefined))
        sources.push({ source, configured: false, howToConnect });
    }
    for (const [sourceId, pulls] of this.pullsBySource()) {
      const scopes = pulls.flatMap(scheduled => {
        const scope = scopeOf(scheduled.pull, entity);
        return scope === undefined ? [] : [{ scheduled, scope }];
      });
      if (scopes.length === 0) continue;
      const states = await this.options.states.getSyncStates(
        sourceId as SourceId,
        scopes.map(s => syncScopeKey(s.scheduled.pull.id, s.scope)),
      );
      const byKey = new Map(states.map(s => [s.scope, s]));
      sources.push({
        source: sourceId,
        configured: true,
        pulls: scopes.map(({ scheduled, scope }): PullSyncStatus => {
          const state = byKey.get(syncScopeKey(scheduled.pull.id, scope));
          const nextRunAt = this.nextRunAt(scheduled, state);
          return {
            pullId: scheduled.pull.id,
            scope,
            lastSuccessAt: iso(state?.lastSuccessAt),
            // The store clears the error when a later pull succeeds.
            ...(state?.lastError && {
              lastError: state.lastError,
              lastErrorAt: iso(state.lastErrorAt),
            }),
            nextRunAt: iso(nextRunAt),
            items: state?.items,
          };
        }),
      });
    }
    return { entityRef: entity.entityRef, sources };
  }

  /**
   * Pulls the entity's scopes of every pull now (with the other entities of each scope, which
   * get their copies too), and answers with the new state. One at a time per entity on this
   * instance: a second request while one runs is a 409.
   */
  async syncNow(entity: AnnotatedEntity): Promise<EntitySyncStatus> {
    if (this.syncing.has(entity.entityRef))
      throw new ConflictError(
        `A sync of ${entity.entityRef} is already running; wait for it to finish`,
      );
    this.syncing.add(entity.entityRef);
    try {
      await Promise.all(
        this.options.pulls.map(async scheduled => {
          const { source, pull } = scheduled;
          const scope = scopeOf(pull, entity);
          if (scope === undefined) return;
          const all = await this.options.entities.withAnyAnnotation(
            pull.annotations,
          );
          const members = groupByScope(pull, all).get(scope) ?? [entity];
          await runPull({
            source: source.id as SourceId,
            pull,
            entities: members.some(m => m.entityRef === entity.entityRef)
              ? members
              : [...members, entity],
            store: this.options.store,
            logger: this.options.logger.child({
              task: SyncService.taskId(source.id, pull.id),
              syncNow: entity.entityRef,
            }),
            signal: AbortSignal.timeout(
              scheduleFrequencyMs({ frequency: scheduled.schedule.timeout }) ??
                DEFAULT_TIMEOUT_MS,
            ),
            now: () => this.now(),
            onlyScopes: [scope],
          });
        }),
      );
    } finally {
      this.syncing.delete(entity.entityRef);
    }
    return this.status(entity);
  }

  private pullsBySource(): Map<string, ScheduledPull[]> {
    const bySource = new Map<string, ScheduledPull[]>();
    for (const scheduled of this.options.pulls)
      bySource.set(scheduled.source.id, [
        ...(bySource.get(scheduled.source.id) ?? []),
        scheduled,
      ]);
    return bySource;
  }

  /**
   * When a scheduled run is expected to reach the scope: a scope waits its turn among the
   * others (`scopesPerRun` a run, least recently pulled first), so about one pass of all
   * scopes after its last attempt; a scope never tried goes first in the next run. Unknown for
   * schedules that are not a fixed interval.
   */
  private nextRunAt(
    { source, pull, schedule }: ScheduledPull,
    state: { lastSuccessAt?: number; lastErrorAt?: number } | undefined,
  ): number | undefined {
    const frequencyMs = scheduleFrequencyMs(schedule);
    if (frequencyMs === undefined) return undefined;
    const lastRun = this.lastRuns.get(SyncService.taskId(source.id, pull.id));
    const lastAttempt = Math.max(
      state?.lastSuccessAt ?? -Infinity,
      state?.lastErrorAt ?? -Infinity,
    );
    if (!Number.isFinite(lastAttempt))
      return lastRun ? lastRun.at + frequencyMs : undefined;
    const runsPerPass = Math.max(
      1,
      Math.ceil(
        (lastRun?.scopes ?? 1) / (pull.scopesPerRun ?? DEFAULT_SCOPES_PER_RUN),
      ),
    );
    return lastAttempt + runsPerPass * frequencyMs;
  }

  private now() {
    return (this.options.now ?? Date.now)();
  }
}

function scopeOf(
  pull: ProductOsPull,
  entity: AnnotatedEntity,
): string | undefined {
  if (!pull.annotations.some(a => entity.annotations[a] !== undefined))
    return undefined;
  return pull.scopeOf(entity);
}

function iso(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : new Date(ms).toISOString();
}
