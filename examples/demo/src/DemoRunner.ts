import type {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { Knex } from 'knex';
import type { DemoConfig } from './config';
import { DemoProgress, DemoState } from './DemoProgress';
import { HOUR_MS } from './product/rhythm';
import { checkoutApi, demoServices } from './product/services';
import { BadDeployScenario } from './scenario/badDeploy';
import {
  DemoGitHub,
  DemoPagerDuty,
  DemoPostHog,
  DemoSenders,
  DemoSentry,
} from './send';
import { ShopTraffic } from './traffic/ShopTraffic';

const DAY_MS = 24 * HOUR_MS;

/**
 * Runs the demo: waits for the example catalog, back-fills the days of history not sent yet,
 * then sends live traffic every tick and, once per database, plays the scripted bad deploy.
 */
export class DemoRunner {
  private stopped = false;
  private tickTimer?: ReturnType<typeof setTimeout>;
  private scenario?: BadDeployScenario;
  private senders?: DemoSenders;

  constructor(
    private readonly options: {
      config: DemoConfig;
      logger: LoggerService;
      catalog: CatalogService;
      auth: AuthService;
      discovery: DiscoveryService;
      knex: Knex;
      now?: () => number;
    },
  ) {}

  async start(): Promise<void> {
    const { config, logger } = this.options;
    const now = this.options.now ?? Date.now;
    await this.waitForCatalog();
    const progress = await DemoProgress.create(this.options.knex);
    const state = await progress.load();
    const baseUrl = await this.options.discovery.getBaseUrl('product-os');
    const senders: DemoSenders = {
      sentry: new DemoSentry(`${baseUrl}/sentry`),
      posthog: new DemoPostHog(`${baseUrl}/posthog`),
      github: new DemoGitHub(
        `${baseUrl}/github/webhook`,
        config.githubWebhookSecret,
      ),
      pagerduty: new DemoPagerDuty(
        `${baseUrl}/pagerduty`,
        config.pagerDutyWebhookSecret,
      ),
    };
    this.senders = senders;
    const traffic = new ShopTraffic(senders, state);

    const backfillFrom = Math.max(
      state.sentUntil ?? 0,
      now() - config.backfillDays * DAY_MS,
    );
    traffic.restoreDeployments(backfillFrom, config.backfillDays + 1);
    if (!state.badDeploy) {
      // A page of checkout-api still open when PR #812 ships would take the scenario's onset;
      // none is triggered from an hour before it until it has rolled back.
      const start = now();
      traffic.keepQuiet(
        checkoutApi,
        start - 3 * HOUR_MS,
        start +
          config.badDeploy.delayMs +
          config.badDeploy.durationMs +
          HOUR_MS,
      );
    }
    logger.info(
      `Demo: sending the web shop's history since ${new Date(
        backfillFrom,
      ).toISOString()} (demo data)`,
    );
    const backfillUntil = await this.sendUntilNow(
      traffic,
      state,
      progress,
      backfillFrom,
    );
    logger.info(
      'Demo: history sent; live traffic every ' + `${config.tickMs / 1000}s`,
    );

    const scenario = new BadDeployScenario(traffic, senders, logger, {
      durationMs: config.badDeploy.durationMs,
      incidentDelayMs: config.badDeploy.incidentDelayMs,
      save: async badDeploy => {
        state.badDeploy = badDeploy;
        await progress.save(state);
      },
    });
    this.scenario = scenario;
    if (state.badDeploy) {
      scenario.resume(state.badDeploy);
    } else {
      logger.info(
        `Demo: the scripted bad deploy follows in ${
          config.badDeploy.delayMs / 1000
        }s`,
      );
    }
    const scenarioAt = now() + config.badDeploy.delayMs;
    let sentUntil = backfillUntil;
    const tick = async () => {
      if (this.stopped) return;
      try {
        sentUntil = await this.sendUntilNow(
          traffic,
          state,
          progress,
          sentUntil,
        );
        // After the traffic before it is sent: the broken checkout's errors begin with the deploy.
        if (!state.badDeploy && now() >= scenarioAt) {
          await scenario.start(sentUntil);
        }
      } catch (error) {
        logger.warn(
          `Demo: sending traffic failed, retrying next tick: ${error}`,
        );
      }
      if (!this.stopped) this.tickTimer = setTimeout(tick, config.tickMs);
    };
    this.tickTimer = setTimeout(
      tick,
      Math.min(config.tickMs, config.badDeploy.delayMs),
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.tickTimer) clearTimeout(this.tickTimer);
    this.scenario?.stop();
    await Promise.all([
      this.senders?.sentry.close(),
      this.senders?.posthog.close(),
    ]);
  }

  /** Sends everything from `from` to now, an hour at a time, saving progress after each. */
  private async sendUntilNow(
    traffic: ShopTraffic,
    state: DemoState,
    progress: DemoProgress,
    from: number,
  ): Promise<number> {
    const until = (this.options.now ?? Date.now)();
    let sent = from;
    while (!this.stopped && sent < until) {
      const to = Math.min(until, sent + HOUR_MS);
      await traffic.run(sent, to);
      sent = to;
      state.sentUntil = sent;
      await progress.save(state);
    }
    return sent;
  }

  /** The demo's events only count once the entities that claim them are in the catalog. */
  private async waitForCatalog(): Promise<void> {
    const deadline = Date.now() + 10 * 60_000;
    const refs = demoServices.map(
      service => `component:default/${service.name}`,
    );
    while (!this.stopped) {
      const credentials = await this.options.auth.getOwnServiceCredentials();
      const { items } = await this.options.catalog.getEntitiesByRefs(
        { entityRefs: refs, fields: ['metadata.name'] },
        { credentials },
      );
      if (items.every(Boolean)) return;
      if (Date.now() > deadline) {
        throw new Error(
          `The example catalog is missing ${refs
            .filter((_, i) => !items[i])
            .join(', ')}`,
        );
      }
      await new Promise(resolve => setTimeout(resolve, 2000));
    }
  }
}
