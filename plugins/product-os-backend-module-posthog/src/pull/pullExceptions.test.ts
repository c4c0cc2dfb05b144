import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
// The pull writes through the real Product OS store, on both engines.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import { createProductOsStores } from '@internal/plugin-product-os-backend';
import type { AnnotatedEntity } from '@internal/plugin-product-os-node';
import { createIngestHarness } from '@internal/plugin-product-os-node/testUtils';
import http from 'http';
import type { AddressInfo } from 'net';
import { PostHog } from 'posthog-node';
import { readPostHogConfig } from '../config';
import { createRouter } from '../router';
import {
  FakeEvent,
  FakePostHog,
  startFakePostHog,
} from './__testUtils__/fakePostHog';
import { createExceptionsPull } from './pullExceptions';
import { PostHogQueryClient } from './PostHogQueryClient';

jest.setTimeout(60_000);

const KEY = 'phx_personalKeyOfTheTests';
const PROJECT = '4242';
const PROJECT_KEY = 'phc_checkoutProjectKey';
const WEB = 'component:default/checkout-web';
const HOUR = 3_600_000;

const checkoutWeb: AnnotatedEntity = {
  entityRef: WEB,
  annotations: {
    'posthog.com/project-id': PROJECT,
    'product-os.io/posthog-project-key': PROJECT_KEY,
  },
};

/** A `$exception` as PostHog stores what posthog-node sent. */
function exception(n: number, at: number): FakeEvent {
  return {
    uuid: `0195${String(n).padStart(4, '0')}-aaaa-7000-8000-000000000000`,
    event: '$exception',
    timestamp: at,
    distinct_id: `user-${n % 3}`,
    properties: {
      $lib: 'posthog-node',
      $exception_list: [
        {
          type: 'RangeError',
          value: `Coupon ${n} is out of range`,
          stacktrace: {
            type: 'raw',
            frames: [
              {
                filename: '/app/dist/coupons.js',
                function: 'applyCoupon',
                lineno: 10 + n,
                in_app: true,
              },
            ],
          },
        },
      ],
    },
  };
}

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

describe.each(databases.eachSupportedId())(
  'the PostHog exceptions pull on %s',
  databaseId => {
    let posthog: FakePostHog;
    let productOs: http.Server | undefined;

    afterEach(async () => {
      await posthog.close();
      await new Promise(resolve =>
        productOs ? productOs.close(resolve) : resolve(undefined),
      );
      productOs = undefined;
    });

    async function setUp(pages?: {
      pagesPerRun: number;
      exceptionsPerPage: number;
    }) {
      const knex = await databases.init(databaseId);
      const stores = await createProductOsStores({
        database: mockServices.database({ knex }),
      });
      // Product OS's capture endpoints over the real store, as the host mounts them.
      const harness = await createIngestHarness(
        {
          createRouter: context =>
            createRouter({
              config: readPostHogConfig(new ConfigReader({})),
              context,
            }),
        },
        { store: stores.ingest, entities: [checkoutWeb] },
      );
      productOs = harness.app.listen(0, '127.0.0.1');
      await new Promise(resolve => productOs!.once('listening', resolve));
      const productOsUrl = `http://127.0.0.1:${
        (productOs!.address() as AddressInfo).port
      }`;
      // PostHog, with every batch it captures also sent on to Product OS (a fan-out proxy).
      posthog = await startFakePostHog({
        personalApiKey: KEY,
        projectIds: [PROJECT],
        onCapture: async (body, headers) => {
          const forwarded = await fetch(`${productOsUrl}/batch/`, {
            method: 'POST',
            headers: {
              'content-type': String(
                headers['content-type'] ?? 'application/json',
              ),
              ...(headers['content-encoding'] && {
                'content-encoding': String(headers['content-encoding']),
              }),
            },
            body,
          });
          expect(forwarded.status).toBe(200);
        },
      });
      posthog.captureProjectId = PROJECT;
      const pull = createExceptionsPull({
        client: new PostHogQueryClient({
          host: posthog.url,
          personalApiKey: KEY,
          requestTimeoutMs: 2_000,
          sleep: async () => {},
        }),
        backfillDays: 30,
        ...pages,
      });
      const run = (now: number, cursor?: string) =>
        pull.pull({
          scope: PROJECT,
          entities: [checkoutWeb],
          cursor,
          store: harness.context.store,
          logger: mockServices.logger.mock(),
          signal: new AbortController().signal,
          now,
        });
      const counts = async () => ({
        events: Number((await knex('error_event_ids').count({ n: '*' }))[0].n),
        groups: (
          await knex('error_groups').select('fingerprint', 'event_count')
        ).map(g => [g.fingerprint, Number(g.event_count)]),
      });
      return { run, counts, knex, signals: harness.signals };
    }

    it('stores an exception sent to both PostHog and Product OS once, whichever way it comes', async () => {
      const { run, counts, knex, signals } = await setUp();
      const client = new PostHog(PROJECT_KEY, {
        host: posthog.url,
        flushAt: 1,
        flushInterval: 0,
      });
      function applyCoupon(code: string): never {
        throw new RangeError(`Coupon ${code} is out of range`);
      }
      try {
        applyCoupon('SPRING-40');
      } catch (error) {
        client.captureException(error, 'user-7');
      }
      await client.shutdown();

      const [sent] = posthog.events.get(PROJECT)!;
      expect(sent.event).toBe('$exception');
      const pushed = await counts();
      expect(pushed.events).toBe(1);
      expect(pushed.groups).toEqual([[expect.any(String), 1]]);
      expect(signals).toEqual([[WEB, 'new_error_group']]);

      // The capture path stored PostHog's event uuid as the event id.
      expect(
        await knex('error_event_ids').where({ event_id: sent.uuid }),
      ).toHaveLength(1);
      // PostHog also has an exception Product OS never got, in the same window.
      posthog.addEvents(PROJECT, [exception(1, sent.timestamp + 1)]);

      const result = await run(sent.timestamp + 60_000);
      expect(result.items).toBe(1);
      const pulled = await counts();
      expect(pulled.events).toBe(2);
      expect(pulled.groups).toContainEqual(pushed.groups[0]);
    });

    it('makes error groups of exceptions only PostHog has, grouped as the capture path groups them', async () => {
      const now = Date.UTC(2026, 10, 20, 12);
      const { run, counts, signals } = await setUp();
      // Two occurrences of one error (numbers differ), hours apart.
      posthog.addEvents(PROJECT, [
        exception(1, now - 5 * HOUR),
        exception(2, now - HOUR),
      ]);
      const result = await run(now);
      expect(result.items).toBe(2);
      const stored = await counts();
      expect(stored.events).toBe(2);
      expect(stored.groups).toEqual([[expect.any(String), 2]]);
      expect(signals).toEqual([[WEB, 'new_error_group']]);
      // Pulled again: the same rows.
      await run(now + 60_000, result.cursor);
      expect(await counts()).toEqual(stored);
    });

    it('back-fills a long history over several runs, then re-reads only the last hours', async () => {
      const now = Date.UTC(2026, 10, 20, 12);
      const { run, counts } = await setUp({
        pagesPerRun: 2,
        exceptionsPerPage: 5,
      });
      posthog.addEvents(
        PROJECT,
        Array.from({ length: 12 }, (_, i) =>
          exception(i, now - (12 - i) * 24 * HOUR),
        ),
      );
      const first = await run(now);
      expect(first.items).toBe(10);
      expect(JSON.parse(first.cursor!)).toMatchObject({ caughtUp: false });
      const second = await run(now + 60_000, first.cursor);
      expect(second.items).toBe(2);
      expect(JSON.parse(second.cursor!)).toEqual({
        after: now + 60_000,
        caughtUp: true,
      });
      expect((await counts()).events).toBe(12);

      const third = await run(now + 15 * 60_000, second.cursor);
      expect(third.items).toBe(0);
      expect(posthog.queries.at(-1)!.query.values).toEqual({
        from: (now + 60_000 - 2 * HOUR) / 1000,
        to: (now + 15 * 60_000) / 1000,
      });
    });
  },
);
