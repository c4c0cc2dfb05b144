import type { LoggerService } from '@backstage/backend-plugin-api';
import type { BadDeployState } from '../DemoProgress';
import { checkoutApi, storefront } from '../product/services';
import type { DemoSenders } from '../send';
import { shaOf } from '../traffic/plans';
import { redeploy, shipChange } from '../traffic/ship';
import type { ShopTraffic } from '../traffic/ShopTraffic';

/** The pull request the scripted bad deploy ships; the diagnosis should name it. */
export const BAD_PULL_REQUEST = {
  number: 812,
  title: 'Round cart line totals with the shared currency helper',
  author: 'dana',
  // The files of `product/repos/checkout-api/src/cart/`, which the new errors' frames name.
  files: ['src/cart/totals.ts', 'src/cart/currency.ts'],
} as const;

const ROUTING_KEY = storefront.pagerduty!.routingKey!;

/**
 * The scripted bad deploy: PR #812 is merged and deployed to checkout-api; every cart with the
 * promotion's free gift then fails (new errors whose top frame is in a file the PR changed),
 * checkout conversions drop, and the storefront, downstream, pages its on-call through
 * PagerDuty. After `durationMs` checkout-api is rolled back and the incident resolves.
 *
 * Each step is recorded in the demo's state before the next is due, so a backend restarted in
 * the middle resumes the scenario where it was instead of leaving it half played.
 */
export class BadDeployScenario {
  private readonly timers: Array<ReturnType<typeof setTimeout>> = [];

  constructor(
    private readonly traffic: ShopTraffic,
    private readonly senders: DemoSenders,
    private readonly logger: LoggerService,
    private readonly options: {
      durationMs: number;
      incidentDelayMs: number;
      /** Records a step of the scenario. */
      save(state: BadDeployState): Promise<void>;
      now?: () => number;
    },
  ) {}

  /** Ships PR #812 to checkout-api at `at`, then plays the rest. */
  async start(at: number): Promise<void> {
    const state: BadDeployState = {
      at,
      sha: shaOf(`pr-812:${at}`),
      previousSha: this.traffic.deployedSha(checkoutApi),
    };
    await shipChange(
      this.senders.github,
      {
        ...BAD_PULL_REQUEST,
        files: [...BAD_PULL_REQUEST.files],
        repository: checkoutApi.repository,
        service: checkoutApi.name,
        sha: state.sha,
        openedAt: at - 26 * 3_600_000,
        mergedAt: at - 3 * 60_000,
      },
      { startedAt: at - 90_000, finishedAt: at, outcome: 'success' },
    );
    await this.options.save(state);
    this.logger.info(
      `Demo: deployed PR #${BAD_PULL_REQUEST.number} (${state.sha.slice(
        0,
        7,
      )}) to ` + 'checkout-api; carts with a free gift now fail',
    );
    this.resume(state);
  }

  /** Plays what is left of a started scenario: the broken checkout, the page, the rollback. */
  resume(state: BadDeployState): void {
    if (state.rolledBackAt !== undefined) return;
    const now = (this.options.now ?? Date.now)();
    this.traffic.setDeployed(checkoutApi, state.sha);
    this.traffic.faults.brokenCheckout = true;
    if (state.pagedAt === undefined) {
      this.later(state.at + this.options.incidentDelayMs - now, async () => {
        await this.alert(
          state,
          'trigger',
          'Checkout success rate below 90 % on the storefront',
        );
        state.pagedAt = Date.now();
        await this.options.save(state);
        this.logger.info(
          'Demo: the storefront paged its on-call (checkout success rate below 90 %)',
        );
      });
    }
    this.later(state.at + this.options.durationMs - now, async () => {
      this.traffic.faults.brokenCheckout = false;
      this.traffic.setDeployed(checkoutApi, state.previousSha);
      await redeploy(
        this.senders.github,
        {
          repository: checkoutApi.repository,
          service: checkoutApi.name,
          sha: state.previousSha,
          id: parseInt(shaOf(`rollback:${state.at}`).slice(0, 8), 16),
        },
        Date.now(),
      );
      await this.alert(state, 'resolve', 'Checkout success rate recovered');
      state.rolledBackAt = Date.now();
      await this.options.save(state);
      this.logger.info(
        `Demo: rolled checkout-api back to ${state.previousSha.slice(0, 7)}`,
      );
    });
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
  }

  private alert(
    state: BadDeployState,
    action: 'trigger' | 'resolve',
    summary: string,
  ) {
    return this.senders.pagerduty.alert({
      routingKey: ROUTING_KEY,
      action,
      dedupKey: `checkout-failures-${state.at}`,
      summary,
      source: 'storefront-synthetics',
    });
  }

  private later(delayMs: number, step: () => Promise<void>) {
    const timer = setTimeout(() => {
      step().catch(error =>
        this.logger.error(`Demo scenario step failed: ${error}`),
      );
    }, Math.max(0, delayMs));
    timer.unref?.();
    this.timers.push(timer);
  }
}
