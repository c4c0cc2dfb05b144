import type { LoggerService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { createProductOsStores } from '@internal/plugin-product-os-backend';
import {
  AnnotatedEntity,
  createSourceStore,
  DEFAULT_SCOPES_PER_RUN,
  EntityResolver,
  groupByScope,
  runPull,
  scheduleFrequencyMs,
} from '@internal/plugin-product-os-node';
import type { SourceId } from '@internal/plugin-product-os-common';
import fs from 'fs';
import knexFactory from 'knex';
import os from 'os';
import path from 'path';
import { createBenchLifecycle } from '../benchLifecycle';
import type { SyncScenario } from './SyncScenario';
import { RequestCounts, startVendorServer } from './vendorServer';

/** What one pull of a scenario measured. */
export interface PullFigures {
  source: string;
  pullId: string;
  entities: number;
  scopes: number;
  backfill: {
    runs: number;
    /** Time spent pulling, the runs back to back. */
    pullingMs: number;
    /** With the runs spaced by the pull's schedule: (runs - 1) × frequency + the last run. */
    scheduledMs?: number;
    counted: number;
    countedPerScope: number;
    /** Answers refused by the vendor's rate limit (429, or GitHub's 403), retried by the pull. */
    rateLimited: number;
    failedScopes: number;
    /** Scopes whose back-fill completed; fewer than `scopes` when the time bound stopped it. */
    backfilledScopes: number;
    /** Set when the back-fill was stopped by its time bound before it completed. */
    stoppedAfterMs?: number;
  };
  /** Undefined when the back-fill did not complete (its steady state would be back-fill). */
  steady?: {
    hours: number;
    runs: number;
    counted: number;
    perEntityPerHour: number;
    /** Counted requests per entity in each whole hour of the steady state, in order. */
    perEntityByHour: number[];
  };
  peakRssMb: number;
  /** The scenario's own lines. */
  notes: string[];
}

/** The steady state's run interval for a pull on a cron schedule (not a fixed step). */
const CRON_FALLBACK_MS = 15 * 60_000;

/**
 * Runs every pull of a scenario's source over `entities` catalog entities against its vendor
 * server (with `latencyMs` per request) on a real SQLite store: the back-fill (runs until every
 * scope has been pulled once), then `steadyHours` of scheduled runs, on a clock that moves by the
 * pull's frequency between runs.
 */
export async function runSyncScenario(
  scenario: SyncScenario,
  options: {
    entities: number;
    latencyMs: number;
    logger: LoggerService;
    /** Overrides the scenario's `backfillMinutes`. */
    maxMinutes?: number;
  },
): Promise<PullFigures[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'product-os-bench-sync-'));
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: path.join(dir, 'sync.sqlite') },
    useNullAsDefault: true,
  });
  const vendor = await startVendorServer({
    handler: scenario.vendor,
    latencyMs: options.latencyMs,
    counted: scenario.counted,
  });
  // Stops the store's SQLite checkpoint worker, which would otherwise keep the process alive.
  const lifecycle = createBenchLifecycle();
  let peakRss = process.memoryUsage().rss;
  const sampleRss = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 200);
  try {
    const stores = await createProductOsStores({
      database: mockServices.database({ knex }),
      lifecycle,
    });
    const catalog = scenario.entities(options.entities);
    const store = createSourceStore({
      store: stores.ingest,
      entities: catalogResolver(catalog),
      notifier: { notify() {} },
    });
    // Each pull's clock starts at real time and moves on by its schedule between runs.
    let offset = 0;
    const now = () => Date.now() + offset;
    const source = await scenario.createSource({
      baseUrl: vendor.baseUrl,
      logger: options.logger,
      now,
    });
    if (source.pull?.configured !== true)
      throw new Error(
        `Scenario ${scenario.name}: the source declares no configured pull`,
      );

    const figures: PullFigures[] = [];
    for (const pull of source.pull.pulls) {
      offset = 0;
      const frequencyMs = scheduleFrequencyMs(pull.schedule);
      const scopes = groupByScope(pull, catalog);
      const run = () =>
        runPull({
          source: source.id as SourceId,
          pull,
          entities: catalog,
          store,
          logger: options.logger.child({ pull: pull.id }),
          now,
        });

      const before = vendor.snapshot();
      const pulled = new Set<string>();
      const failed = new Set<string>();
      const backfilled = new Set<string>();
      // A paced back-fill takes as many runs as the budget asks; the time bound ends it.
      const maxRuns = scenario.backfilled
        ? Infinity
        : Math.ceil(
            scopes.size / (pull.scopesPerRun ?? DEFAULT_SCOPES_PER_RUN),
          ) + 5;
      const boundMinutes = options.maxMinutes ?? scenario.backfillMinutes;
      const boundAt =
        boundMinutes === undefined
          ? Infinity
          : Date.now() + boundMinutes * 60_000;
      const complete = () =>
        scenario.backfilled
          ? backfilled.size >= scopes.size
          : pulled.size >= scopes.size;
      let runs = 0;
      let pullingMs = 0;
      let lastRunMs = 0;
      while (!complete() && runs < maxRuns && Date.now() < boundAt) {
        const started = Date.now();
        const report = await run();
        lastRunMs = Date.now() - started;
        pullingMs += lastRunMs;
        runs += 1;
        for (const outcome of report.pulled) {
          pulled.add(outcome.scope);
          if (outcome.outcome === 'succeeded') failed.delete(outcome.scope);
          else failed.add(outcome.scope);
          if (
            outcome.outcome === 'succeeded' &&
            (scenario.backfilled?.(outcome.cursor) ?? true)
          )
            backfilled.add(outcome.scope);
        }
        offset += frequencyMs ?? CRON_FALLBACK_MS;
      }
      const backfillCounted = vendor.counts.counted - before.counted;
      const backfillDone = complete();

      const hours = scenario.steadyHours ?? 1;
      const steadyRuns = Math.max(
        1,
        Math.round((hours * 3_600_000) / (frequencyMs ?? CRON_FALLBACK_MS)),
      );
      const steadyBefore = vendor.snapshot();
      const runsPerHour = steadyRuns / hours;
      const byHour: number[] = [];
      if (backfillDone) {
        let hourBefore = vendor.counts.counted;
        for (let i = 0; i < steadyRuns; i++) {
          await run();
          offset += frequencyMs ?? CRON_FALLBACK_MS;
          // The first hour after a back-fill can still be finishing its work (samples not yet
          // taken), so each hour is reported apart from the average.
          if (hours >= 1 && (i + 1) % runsPerHour === 0) {
            byHour.push(
              catalog.length
                ? (vendor.counts.counted - hourBefore) / catalog.length
                : 0,
            );
            hourBefore = vendor.counts.counted;
          }
        }
      }
      const steadyCounted = vendor.counts.counted - steadyBefore.counted;
      figures.push({
        source: source.id,
        pullId: pull.id,
        entities: catalog.length,
        scopes: scopes.size,
        backfill: {
          runs,
          pullingMs,
          scheduledMs:
            frequencyMs === undefined
              ? undefined
              : (runs - 1) * frequencyMs + lastRunMs,
          counted: backfillCounted,
          countedPerScope: scopes.size ? backfillCounted / scopes.size : 0,
          rateLimited: refusals(vendor.counts) - refusals(before),
          failedScopes: failed.size,
          backfilledScopes: scenario.backfilled
            ? backfilled.size
            : pulled.size - failed.size,
          stoppedAfterMs: backfillDone ? undefined : pullingMs,
        },
        steady: backfillDone
          ? {
              hours,
              runs: steadyRuns,
              counted: steadyCounted,
              perEntityPerHour: catalog.length
                ? steadyCounted / catalog.length / hours
                : 0,
              perEntityByHour: byHour,
            }
          : undefined,
        peakRssMb: Math.round(peakRss / 1024 / 1024),
        notes: scenario.describe?.() ?? [],
      });
    }
    return figures;
  } finally {
    clearInterval(sampleRss);
    await vendor.close();
    await lifecycle.shutdown();
    await knex.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function refusals(counts: RequestCounts): number {
  return (counts.byStatus[429] ?? 0) + (counts.byStatus[403] ?? 0);
}

/** The catalog lookups of the host's ingest tail, over the scenario's entities. */
function catalogResolver(catalog: AnnotatedEntity[]): EntityResolver {
  const index = new Map<string, AnnotatedEntity[]>();
  for (const entity of catalog)
    for (const [annotation, value] of Object.entries(entity.annotations)) {
      const key = `${annotation}\u0000${value}`;
      index.set(key, [...(index.get(key) ?? []), entity]);
    }
  const find = async (annotation: string, value: string) =>
    index.get(`${annotation}\u0000${value}`) ?? [];
  return {
    findEntitiesByAnnotation: find,
    findByAnnotation: async (annotation, value) =>
      (await find(annotation, value)).map(e => e.entityRef),
  };
}
