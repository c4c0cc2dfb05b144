import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
// The demo is tested inside the real Product OS plugin and its source modules, as `npm start` runs it.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import productOsPlugin from '@internal/plugin-product-os-backend';
import githubModule from '@internal/plugin-product-os-backend-module-github';
import pagerDutyModule from '@internal/plugin-product-os-backend-module-pagerduty';
import postHogModule from '@internal/plugin-product-os-backend-module-posthog';
import sentryModule from '@internal/plugin-product-os-backend-module-sentry';
import type { Knex } from 'knex';
import request from 'supertest';
import { productOsModuleDemo } from '../module';
import { demoAppConfig, exampleEntities } from './exampleFiles';

/**
 * The demo's configuration with its waits shortened for a test: fewer days of history, the bad
 * deploy and its downstream page within seconds, and the agent woken by signals only.
 */
function testConfig() {
  const config = demoAppConfig() as any;
  const demo = config.productOs.demo;
  return {
    ...config,
    productOs: {
      ...config.productOs,
      demo: {
        ...demo,
        backfillDays: 3,
        badDeploy: {
          ...demo.badDeploy,
          delaySeconds: 1,
          incidentDelaySeconds: 2,
        },
      },
      // The broken checkout's errors arrive at their own pace (45 a minute); the agent waits,
      // as it does by default, long enough after the first for a new group to count (10 events).
      // The scheduled run never comes during a test, so whatever the agent writes was woken
      // by what the demo sent (signals), however long a busy machine takes to get there.
      agent: {
        signalDebounceSeconds: 20,
        schedule: {
          frequency: { hours: 24 },
          timeout: { minutes: 10 },
          initialDelay: { hours: 24 },
        },
      },
    },
  };
}

/**
 * A backend as `npm start` runs the demo: Product OS with its four sources and the demo module,
 * on the test database, with the example catalog. The test backend's discovery points at the
 * port it listens on, so the demo's SDKs and webhooks reach this backend.
 */
export async function startDemoBackend(knex: Knex) {
  const backend = await startTestBackend({
    features: [
      productOsPlugin,
      sentryModule,
      githubModule,
      pagerDutyModule,
      postHogModule,
      productOsModuleDemo,
      catalogServiceMock.factory({ entities: exampleEntities() }),
      mockServices.rootConfig.factory({ data: testConfig() }),
      mockServices.database.factory({ knex }),
    ],
  });

  /** A read of the Product OS API as the signed-in user's frontend makes it. */
  async function read<T = any>(path: string): Promise<T> {
    const res = await request(backend.server)
      .get(`/api/product-os${path}`)
      .set('Authorization', mockCredentials.user.header());
    if (res.status !== 200) {
      throw new Error(
        `GET ${path} answered ${res.status}: ${JSON.stringify(res.body)}`,
      );
    }
    return res.body;
  }

  /** One list of an entity's page, e.g. `entityList('checkout-api', 'errors?window=7d')`. */
  async function entityList<T = any>(name: string, list: string): Promise<T[]> {
    const body = await read<{ items: T[] }>(
      `/entities/component/default/${name}/${list}`,
    );
    return body.items;
  }

  return { backend, read, entityList };
}

export type DemoBackend = Awaited<ReturnType<typeof startDemoBackend>>;

/**
 * Asks `probe` until it returns a value, or fails with what was last seen once `timeoutMs` has
 * passed: the demo sends on its own clock, so a test waits for an outcome, not for a time.
 */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  options: { timeoutMs: number; intervalMs?: number },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const reason = lastError ? `: ${lastError}` : '';
      throw new Error(
        `Timed out after ${
          options.timeoutMs / 1000
        }s waiting for ${what}${reason}`,
      );
    }
    await new Promise(resolve =>
      setTimeout(resolve, options.intervalMs ?? 1000),
    );
  }
}
