import type { LoggerService } from '@backstage/backend-plugin-api';
import type { ChangeEventInput } from '@internal/plugin-product-os-node';
import type { AgentConfig } from '@internal/plugin-product-os-backend/src/config';
import type { ProductOsStores } from '@internal/plugin-product-os-backend/src/database/createProductOsStores';
import { DAY_MS, HOUR_MS } from '@internal/plugin-product-os-backend/src/time';
import { MonitoringAgent } from '@internal/plugin-product-os-backend/src/agent/MonitoringAgent';
import type { CalibrationModel } from '@internal/plugin-product-os-backend/src/agent/research/calibrationTypes';
import { TIMELINE_START } from './families';
import type { Scenario } from './model';
import { Random } from '@internal/product-os-demo/src/product/random';
import { StaticEntityContexts } from '@internal/plugin-product-os-backend/src/__testUtils__/StaticEntityContexts';
import { replayScenario } from './replay';
import { SERVICES } from './services';
import { EntitySim } from './world';

const MINUTE = 60_000;

/**
 * A busy monorepo: an entity and two dependencies with `changes` change events (deployments,
 * pull requests, merge commits, direct commits, change events) in the day before a new error
 * that one deployment caused.
 */
export function buildLatencyScenario(
  changes: number,
  seed = 424242,
): Scenario & { culprit: string } {
  const rng = new Random(seed);
  const days = 8;
  const counters = { pr: 10_000 };
  const profiles = [SERVICES[0], SERVICES[1], SERVICES[2]];
  const deps = profiles
    .slice(1)
    .map(p => new EntitySim(rng, 'lat', p, [], TIMELINE_START, days, counters));
  const main = new EntitySim(
    rng,
    'lat',
    profiles[0],
    deps.map(d => d.entityRef),
    TIMELINE_START,
    days,
    counters,
  );
  const sims = [main, ...deps];
  const onset = TIMELINE_START + 7 * DAY_MS + 13 * HOUR_MS;
  for (const sim of sims) sim.planErrors('medium');

  const perEntity = Math.floor(changes / sims.length);
  let culprit = '';
  sims.forEach(sim => {
    const list: ChangeEventInput[] = [];
    let n = 0;
    const at = () =>
      Math.round(onset - rng.uniform(10 * MINUTE, DAY_MS - HOUR_MS));
    const base = { entityRef: sim.entityRef, source: 'github' as const };
    while (list.length < perEntity) {
      let kind: 'deployment' | 'commit' | 'pull_request' =
        n % 3 === 0 ? 'commit' : 'pull_request';
      if (n % 25 === 0) kind = 'deployment';
      const sha = rng.hex(40);
      const time = at();
      const files = sim.randomFiles();
      if (kind === 'deployment') {
        list.push({
          ...base,
          kind,
          externalId: `${sim.context.name}-deploy-${n}`,
          title: `Deploy ${sha.slice(0, 7)}`,
          sha,
          environment: 'production',
          status: 'success',
          occurredAt: time,
          finishedAt: time + 5 * MINUTE,
        });
      } else if (kind === 'pull_request') {
        const number = ++counters.pr;
        list.push({
          ...base,
          kind,
          externalId: `acme/webshop#${number}`,
          title: `Change ${number}`,
          author: rng.pick(['dana', 'lee', 'sam']),
          sha,
          number,
          status: 'merged',
          occurredAt: time,
          files,
        });
        list.push({
          ...base,
          kind: 'commit',
          externalId: sha,
          title: `Change ${number}`,
          sha,
          occurredAt: time,
          files,
        });
      } else {
        list.push({
          ...base,
          kind,
          externalId: sha,
          title: 'Direct commit',
          sha,
          occurredAt: time,
          files,
        });
      }
      n++;
    }
    if (sim === main) {
      const files = sim.filesOf(sim.profile.modules[0]);
      const start = onset - 12 * MINUTE;
      const sha = rng.hex(40);
      culprit = `${sim.context.name}-deploy-culprit`;
      list.push(
        {
          ...base,
          kind: 'pull_request',
          externalId: 'acme/webshop#9999',
          title: 'Rework the cart',
          author: 'dana',
          sha,
          number: 9999,
          status: 'merged',
          occurredAt: start - 4 * MINUTE,
          files: [files[2], files[3]],
        },
        {
          ...base,
          kind: 'deployment',
          externalId: culprit,
          title: `Deploy ${sha.slice(0, 7)}`,
          sha,
          environment: 'production',
          status: 'success',
          occurredAt: start,
          finishedAt: start + 6 * MINUTE,
        },
      );
      main.addGroup({
        peakRate: 120,
        start: onset,
        module: sim.profile.modules[0],
        files: [files[2], files[0], files[files.length - 1]],
      });
    }
    for (const change of list)
      sim.deliveries.push({
        at: Math.min(change.finishedAt ?? change.occurredAt, onset),
        type: 'change',
        change,
      });
  });
  const deliveries = sims
    .flatMap(s => s.deliveries)
    .sort((a, b) => a.at - b.at);
  return {
    id: 'lat',
    family: 'latency',
    seed,
    description: `${changes} changes in the window`,
    entities: sims.map(s => s.context),
    groups: sims.flatMap(s => s.groups),
    deliveries,
    releases: new Map(),
    reportsErrors: new Set(sims.map(s => s.entityRef)),
    traffic: new Map(
      sims.map(s => [s.entityRef, { dayFactors: s.dayFactors }]),
    ),
    start: TIMELINE_START,
    evaluateFrom: onset + 20 * MINUTE,
    evaluateTo: onset + 20 * MINUTE,
    stepMs: 15 * MINUTE,
    expected: { type: 'culprit', culprit, onsetAt: onset },
    culprit,
  };
}

/**
 * Latency per anomaly: research, diagnosis and its write for the anomaly of the latency
 * scenario, repeated; and how many candidates it weighed.
 */
export async function measureLatency(options: {
  stores: ProductOsStores;
  config: AgentConfig;
  logger: LoggerService;
  changes: number;
  repeats: number;
  calibration?: CalibrationModel;
}): Promise<{
  ms: number[];
  candidates: number;
  correct: boolean;
  changesInWindow: number;
}> {
  const scenario = buildLatencyScenario(options.changes);
  const outcome = await replayScenario(scenario, options);
  const anomaly = outcome.matched?.anomaly;
  if (!anomaly) throw new Error('The latency scenario produced no anomaly');
  const agent = new MonitoringAgent({
    stores: options.stores,
    entities: new StaticEntityContexts(scenario.entities),
    config: options.config,
    logger: options.logger,
    now: () => scenario.evaluateTo,
    calibration: options.calibration,
  });
  const ms: number[] = [];
  let last;
  for (let i = 0; i < options.repeats; i++) {
    const started = performance.now();
    last = await agent.researchAgain(anomaly.id, 'user:default/bench');
    ms.push(performance.now() - started);
  }
  const window = await options.stores.changes.getChangeEventsForEntities(
    scenario.entities.map(e => e.entityRef),
    {
      from: Date.parse(anomaly.onsetAt) - options.config.lookbackMs,
      to: Date.parse(anomaly.onsetAt) + 1,
    },
  );
  const candidates = Number(
    last?.evidence.find(e => e.kind === 'candidates')?.facts?.candidates ?? 0,
  );
  return {
    ms,
    candidates,
    correct: last?.suspects[0]?.change.externalId === scenario.culprit,
    changesInWindow: window.length,
  };
}
