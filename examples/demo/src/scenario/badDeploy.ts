import type { LoggerService } from '@backstage/backend-plugin-api';
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

/**
 * The scripted bad deploy: PR #812 is merged and deployed to checkout-api; every cart with the
 * promotion's free gift then fails (new errors whose top frame is in a file the PR changed),
 * checkout conversions drop, and the storefront, downstream, pages its on-call through
 * PagerDuty. After `durationMs` checkout-api is rolled back and the incident resolves.
 */
export class BadDeployScenario {
  private readonly timers: Array<ReturnType<typeof setTimeout>> = [];

  constructor(
    private readonly traffic: ShopTraffic,
    private readonly senders: DemoSenders,
    private readonly logger: LoggerService,
    private readonly options: { durationMs: number; incidentDelayMs: number },
  ) {}

  async start(now: number): Promise<void> {
    const previousSha = this.traffic.deployedSha(checkoutApi);
    const sha = shaOf(`pr-812:${now}`);
    await shipChange(
      this.senders.github,
      {
        ...BAD_PULL_REQUEST,
        files: [...BAD_PULL_REQUEST.files],
        repository: checkoutApi.repository,
        service: checkoutApi.name,
        sha,
        openedAt: now - 26 * 3_600_000,
        mergedAt: now - 3 * 60_000,
      },
      { startedAt: now - 90_000, finishedAt: now, outcome: 'success' },
    );
    this.traffic.setDeployed(checkoutApi, sha);
    this.traffic.faults.brokenCheckout = true;
    this.logger.info(
      `Demo: deployed PR #${BAD_PULL_REQUEST.number} (${sha.slice(
        0,
        7,
      )}) to checkout-api; carts with a free gift now fail`,
    );

    const dedupKey = `checkout-failures-${now}`;
    const routingKey = storefront.pagerduty!.routingKey!;
    this.later(this.options.incidentDelayMs, async () => {
      await this.senders.pagerduty.alert({
        routingKey,
        action: 'trigger',
        dedupKey,
        summary: 'Checkout success rate below 90 % on the storefront',
        source: 'storefront-synthetics',
      });
      this.logger.info(
        'Demo: the storefront paged its on-call (checkout success rate below 90 %)',
      );
    });
    this.later(this.options.durationMs, async () => {
      this.traffic.faults.brokenCheckout = false;
      this.traffic.setDeployed(checkoutApi, previousSha);
      await redeploy(
        this.senders.github,
        {
          repository: checkoutApi.repository,
          service: checkoutApi.name,
          sha: previousSha,
          id: parseInt(shaOf(`rollback:${now}`).slice(0, 8), 16),
        },
        Date.now(),
      );
      await this.senders.pagerduty.alert({
        routingKey,
        action: 'resolve',
        dedupKey,
        summary: 'Checkout success rate recovered',
        source: 'storefront-synthetics',
      });
      this.logger.info(
        `Demo: rolled checkout-api back to ${previousSha.slice(0, 7)}`,
      );
    });
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
  }

  private later(delayMs: number, step: () => Promise<void>) {
    const timer = setTimeout(() => {
      step().catch(error =>
        this.logger.error(`Demo scenario step failed: ${error}`),
      );
    }, delayMs);
    timer.unref?.();
    this.timers.push(timer);
  }
}
