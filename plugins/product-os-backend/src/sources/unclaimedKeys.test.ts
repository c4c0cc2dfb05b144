import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { mockServices } from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import type {
  ProductOsIngestStore,
  ProductOsSource,
} from '@internal/plugin-product-os-node';
import {
  createKeyedRateLimit,
  StoreUnavailableError,
  WorkerPool,
} from '@internal/plugin-product-os-node';
import express from 'express';
import Router from 'express-promise-router';
import { randomUUID } from 'crypto';
import request from 'supertest';
import {
  DEFAULT_UNCLAIMED_KEYS_PER_MINUTE,
  mountSources,
} from './mountSources';

/*
 * A sender inventing a fresh key per request passes any per-key limit every time; keys no
 * entity claims therefore share one rate per source. The clock is the test's, so nothing
 * depends on how fast the machine is.
 */

/** A source like the vendor modules: a per-key rate first, then the key's entities. */
function keyedSource(id: string): ProductOsSource {
  return {
    id,
    createRouter({ store }) {
      const limitRate = createKeyedRateLimit({ limit: 1_000 });
      const router = Router();
      router.post('/events/:key', async (req, res) => {
        await limitRate(req, res, req.params.key);
        if (req.params.key === 'bad') throw new InputError('bad event');
        // No entity claims any key here.
        await store.claim({
          source: 'posthog',
          annotation: 'product-os.io/posthog-project-key',
          values: [req.params.key],
          unmappedKey: `project-key:${req.params.key}`,
          at: 1,
        });
        res.status(202).json({ mapped: false });
      });
      return router;
    },
  };
}

function recordingStore(fail?: () => Error | undefined) {
  const unmapped: string[] = [];
  const store: ProductOsIngestStore = {
    ingest: async () => ({ duplicate: false }),
    getSyncState: async () => undefined,
    saveSyncState: async () => {},
    async recordUnmapped(_source, key) {
      const error = fail?.();
      if (error) throw error;
      unmapped.push(key);
    },
  };
  return { store, unmapped };
}

async function appWith(
  store: ProductOsIngestStore,
  sources: ProductOsSource[],
  clock: { now: number },
) {
  const logger = mockServices.logger.mock();
  const router = await mountSources({
    sources,
    context: {
      store,
      entities: {
        findByAnnotation: async () => [],
        findEntitiesByAnnotation: async () => [],
      },
      notifier: { notify() {} },
    },
    workers: new WorkerPool(),
    logger,
    httpRouter: mockServices.httpRouter.mock(),
    scheduler: mockServices.scheduler.mock(),
    unclaimedKeys: { limit: 5, now: () => clock.now },
  });
  const app = express();
  app.use(router);
  app.use(
    MiddlewareFactory.create({
      config: mockServices.rootConfig(),
      logger,
    }).error(),
  );
  return { app, logger };
}

describe('keys no entity claims', () => {
  it('share one rate per source: fresh keys get 429 with Retry-After once it is spent', async () => {
    const clock = { now: 1_000_000 };
    const { store, unmapped } = recordingStore();
    const { app } = await appWith(
      store,
      [keyedSource('posthog'), keyedSource('other')],
      clock,
    );

    const answers: string[] = [];
    for (let i = 0; i < 30; i++) {
      const res = await request(app).post(`/posthog/events/${randomUUID()}`);
      answers.push(
        [res.status, res.headers['retry-after'], res.body.error?.name]
          .filter(Boolean)
          .join(' '),
      );
    }
    expect(answers).toEqual([
      ...new Array(5).fill('202'),
      ...new Array(25).fill('429 60 TooManyRequestsError'),
    ]);
    expect(unmapped).toHaveLength(5);

    // Another source's unclaimed keys are counted on their own.
    expect(
      (await request(app).post(`/other/events/${randomUUID()}`)).status,
    ).toBe(202);

    // The rate is per window: later, Retry-After counts down, then keys are accepted again.
    clock.now += 45_000;
    const waiting = await request(app).post(`/posthog/events/${randomUUID()}`);
    expect(waiting.status).toBe(429);
    expect(waiting.headers['retry-after']).toBe('15');
    clock.now += 15_000;
    expect(
      (await request(app).post(`/posthog/events/${randomUUID()}`)).status,
    ).toBe(202);
  });

  it('defaults to a bounded rate', () => {
    expect(DEFAULT_UNCLAIMED_KEYS_PER_MINUTE).toBe(60);
  });

  it('answers 503 with Retry-After while the store is unavailable, without logging each request', async () => {
    let down = true;
    const { store } = recordingStore(() =>
      down
        ? new StoreUnavailableError('The Product OS database is unavailable', {
            retryAfterSeconds: 30,
          })
        : undefined,
    );
    const { app, logger } = await appWith(store, [keyedSource('posthog')], {
      now: 0,
    });
    for (let i = 0; i < 3; i++) {
      const res = await request(app).post('/posthog/events/k');
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('30');
      expect(res.body.error).toEqual({
        name: 'ServiceUnavailableError',
        message: 'The Product OS database is unavailable',
      });
    }
    // Backstage's handler logs every 5xx; these never reach it.
    expect(logger.error).not.toHaveBeenCalled();
    // Other errors still get Backstage's answer, without a Retry-After.
    const bad = await request(app).post('/posthog/events/bad');
    expect(bad.status).toBe(400);
    expect(bad.headers['retry-after']).toBeUndefined();
    down = false;
    expect((await request(app).post('/posthog/events/k')).status).toBe(202);
  });
});
