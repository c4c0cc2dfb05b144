import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Anomaly, Diagnosis } from '@internal/plugin-product-os-common';
import type { AgentConfig } from '@internal/plugin-product-os-backend/src/config';
import type { ProductOsStores } from '@internal/plugin-product-os-backend/src/database/createProductOsStores';
import { DAY_MS } from '@internal/plugin-product-os-backend/src/time';
import { MonitoringAgent } from '@internal/plugin-product-os-backend/src/agent/MonitoringAgent';
import type { CalibrationModel } from '@internal/plugin-product-os-backend/src/agent/research/calibrationTypes';
import type { MonitoringAgentOptions } from '@internal/plugin-product-os-backend/src/agent/MonitoringAgent';
import { StaticEntityContexts } from '@internal/plugin-product-os-backend/src/__testUtils__/StaticEntityContexts';
import { errorEventsBetween } from './errorEvents';
import type { Delivery, Scenario } from './model';

/** How far an anomaly's onset may lie from the labelled one and still be the one labelled. */
export const MATCH_WINDOW_MS = 90 * 60_000;
const BATCH = 2000;

/** What the agent made of a scenario. */
export interface ScenarioOutcome {
  scenario: Scenario;
  /** Every anomaly the agent recorded, per entity. */
  anomalies: Anomaly[];
  /** The anomaly matching the labelled onset on the labelled entity, and its latest diagnosis. */
  matched?: { anomaly: Anomaly; diagnosis?: Diagnosis };
  /** Milliseconds per agent run (one entity, one step). */
  runMs: number[];
}

/**
 * Writes a scenario's deliveries and error events in time order, up to a time: all of them from
 * the start (some arrive before it, pull requests merged for the first deployment), or those
 * from `from` on, as a scenario's aftermath continues where its replay stopped.
 */
export class Feed {
  private position: number;
  private eventsUntil: number;

  constructor(
    private readonly stores: ProductOsStores,
    private readonly scenario: Scenario,
    from?: number,
  ) {
    this.eventsUntil = from ?? scenario.start;
    const first =
      from === undefined ? 0 : scenario.deliveries.findIndex(d => d.at >= from);
    this.position = first < 0 ? scenario.deliveries.length : first;
  }

  /** Writes everything that arrived before `to`. */
  async until(to: number): Promise<void> {
    const { deliveries } = this.scenario;
    const batch: Delivery[] = [];
    while (
      this.position < deliveries.length &&
      deliveries[this.position].at < to
    ) {
      const delivery = deliveries[this.position++];
      if (delivery.type === 'status') {
        // A resolution applies to the events before it, not after.
        await this.flush(batch.splice(0), delivery.at);
        await this.stores.ingest.ingest({ source: 'sentry' }, writer =>
          writer.updateErrorGroupStatus(delivery.status),
        );
      } else {
        batch.push(delivery);
      }
    }
    await this.flush(batch, to);
  }

  private async flush(deliveries: Delivery[], eventsTo: number) {
    if (eventsTo > this.eventsUntil) {
      const events = errorEventsBetween(
        this.scenario,
        this.eventsUntil,
        eventsTo,
      );
      this.eventsUntil = eventsTo;
      for (let i = 0; i < events.length; i += BATCH) {
        const part = events.slice(i, i + BATCH);
        await this.stores.ingest.ingest({ source: 'sentry' }, writer =>
          writer.recordErrorEvents(part),
        );
      }
    }
    if (deliveries.length === 0) return;
    await this.stores.ingest.ingest({ source: 'github' }, async writer => {
      const changes = deliveries.flatMap(d =>
        d.type === 'change' ? [d.change] : [],
      );
      if (changes.length) await writer.upsertChangeEvents(changes);
      const points = deliveries.flatMap(d =>
        d.type === 'metric' ? [d.point] : [],
      );
      if (points.length) await writer.recordMetricPoints(points);
      for (const d of deliveries) {
        if (d.type === 'incident')
          await writer.upsertIncident(d.incident, d.timeline);
      }
    });
  }
}

/**
 * Replays a scenario through the real store and agent: writes its history through the ingest
 * writer as the source modules would, then steps the clock from `evaluateFrom` to `evaluateTo`,
 * writing what arrived in each step and running the agent for every entity.
 */
export async function replayScenario(
  scenario: Scenario,
  options: {
    stores: ProductOsStores;
    config: AgentConfig;
    logger: LoggerService;
    calibration?: CalibrationModel;
    /** This installation's outcomes' correction (off when absent, as the benchmark runs). */
    recalibration?: MonitoringAgentOptions['recalibration'];
  },
): Promise<ScenarioOutcome> {
  const { stores } = options;
  let clock = scenario.start;
  const agent = new MonitoringAgent({
    stores,
    entities: new StaticEntityContexts(scenario.entities),
    config: options.config,
    logger: options.logger,
    now: () => clock,
    calibration: options.calibration,
    recalibration: options.recalibration,
  });
  const feed = new Feed(stores, scenario);
  for (let day = scenario.start; day < scenario.evaluateFrom; day += DAY_MS) {
    await feed.until(Math.min(day + DAY_MS, scenario.evaluateFrom));
  }
  const runMs: number[] = [];
  for (
    let t = scenario.evaluateFrom;
    t <= scenario.evaluateTo;
    t += scenario.stepMs
  ) {
    await feed.until(t + 1);
    clock = t;
    for (const entity of scenario.entities) {
      const started = performance.now();
      await agent.runForEntity(entity.entityRef);
      runMs.push(performance.now() - started);
    }
  }
  return { scenario, ...(await collect(stores, scenario)), runMs };
}

/** The anomalies of the scenario's entities and the one matching the label. */
export async function collect(
  stores: ProductOsStores,
  scenario: Scenario,
): Promise<Pick<ScenarioOutcome, 'anomalies' | 'matched'>> {
  const anomalies: Anomaly[] = [];
  for (const entity of scenario.entities) {
    anomalies.push(
      ...(await stores.anomalies.getAnomalies(entity.entityRef, {
        from: 0,
        to: Number.MAX_SAFE_INTEGER,
      })),
    );
  }
  const { expected } = scenario;
  if (expected.type === 'quiet') return { anomalies };
  const main = scenario.entities[0].entityRef;
  const near = anomalies
    .filter(
      a =>
        a.entityRef === main &&
        Math.abs(Date.parse(a.onsetAt) - expected.onsetAt) <= MATCH_WINDOW_MS,
    )
    .sort(
      (a, b) =>
        Math.abs(Date.parse(a.onsetAt) - expected.onsetAt) -
        Math.abs(Date.parse(b.onsetAt) - expected.onsetAt),
    );
  if (!near.length) return { anomalies };
  const [diagnosis] = await stores.diagnoses.listDiagnoses({
    anomalyId: near[0].id,
    limit: 1,
  });
  return { anomalies, matched: { anomaly: near[0], diagnosis } };
}
