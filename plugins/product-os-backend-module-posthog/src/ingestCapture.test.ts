import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
// The test writes through the real Product OS store.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import { createProductOsStores } from '@internal/plugin-product-os-backend';
import { mockSourceContext } from '@internal/plugin-product-os-node/testUtils';
import type { CapturedEvent } from './capture/normalizeEvents';
import { ingestCapture } from './ingestCapture';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const SHARED_KEY = 'phc_sharedByWebAndApi';
const ENTITIES = ['component:default/shop-web', 'component:default/shop-api'];

async function createContext() {
  const knex = await databases.init('SQLITE_3');
  const stores = await createProductOsStores({
    database: mockServices.database({ knex }),
  });
  // The kit's context (the host's ingest tail) over the real store.
  const { context, signals } = mockSourceContext({
    store: stores.ingest,
    entities: ENTITIES.map(entityRef => ({
      entityRef,
      annotations: { 'product-os.io/posthog-project-key': SHARED_KEY },
    })),
  });
  return { stores, context, signals };
}

const now = Date.now();
const exception = (uuid: string, value: string): CapturedEvent => ({
  name: '$exception',
  distinctId: 'user-1',
  personless: false,
  timestamp: now,
  uuid,
  properties: { $exception_list: [{ type: 'RangeError', value }] },
});

describe('ingestCapture', () => {
  it('gives every entity of a shared project key its own errors and tells the agent about new groups once', async () => {
    const { stores, context, signals } = await createContext();
    const first = await ingestCapture(
      context,
      {
        apiKey: SHARED_KEY,
        events: [
          exception(
            '0191d0c5-2222-7000-8000-000000000001',
            'Invalid array length 12',
          ),
        ],
      },
      { deliveryId: 'capture:one', receivedAt: now },
    );
    expect(first).toEqual({ mapped: true, duplicate: false });
    expect(signals).toEqual(ENTITIES.map(ref => [ref, 'new_error_group']));

    // The same group again is not new; the same request again is a duplicate.
    await ingestCapture(
      context,
      {
        apiKey: SHARED_KEY,
        events: [
          exception(
            '0191d0c5-2222-7000-8000-000000000002',
            'Invalid array length 40',
          ),
        ],
      },
      { deliveryId: 'capture:two', receivedAt: now },
    );
    const again = await ingestCapture(
      context,
      {
        apiKey: SHARED_KEY,
        events: [
          exception(
            '0191d0c5-2222-7000-8000-000000000002',
            'Invalid array length 40',
          ),
        ],
      },
      { deliveryId: 'capture:two', receivedAt: now },
    );
    expect(again.duplicate).toBe(true);
    expect(signals).toHaveLength(2);

    const range = { from: now - 3_600_000, to: now + 60_000, limit: 10 };
    for (const entityRef of ENTITIES) {
      const groups = await stores.errors.getErrorGroupRecords(entityRef, {
        lastSeenFrom: range.from,
      });
      expect(groups.map(group => [group.title, group.eventCount])).toEqual([
        ['RangeError: Invalid array length 40', 2],
      ]);
    }
  });

  it('counts a request for an unknown key as unmapped and stores nothing', async () => {
    const { stores, context } = await createContext();
    const outcome = await ingestCapture(
      context,
      {
        apiKey: 'phc_unknown',
        events: [exception('0191d0c5-3333-7000-8000-000000000001', 'x')],
      },
      { deliveryId: 'capture:three', receivedAt: now },
    );
    expect(outcome).toEqual({ mapped: false, duplicate: false });
    expect(await stores.deliveries.listUnmapped()).toEqual([
      expect.objectContaining({
        source: 'posthog',
        key: 'project-key:phc_unknown',
        count: 1,
      }),
    ]);
  });

  it('stores 25,000 distinct users and 1,000 exceptions in slices, giving the event loop turns between them', async () => {
    const { stores, context } = await createContext();
    const hour = Math.floor(now / 3_600_000) * 3_600_000;
    const events: CapturedEvent[] = [];
    for (let i = 0; i < 25_000; i++) {
      events.push({
        name: 'checkout_completed',
        distinctId: `user-${i}`,
        personless: false,
        timestamp: hour + (i % 1000),
        properties: {},
      });
    }
    for (let i = 0; i < 1_000; i++) {
      events.push(
        exception(
          `0191d0c5-4444-7000-8000-${String(i).padStart(12, '0')}`,
          `Invalid array length ${i}`,
        ),
      );
    }
    // Counts the macrotask turns other requests would get while the request is stored. SQLite's
    // driver is synchronous: without slicing, the whole transaction holds the loop.
    let turns = 0;
    let storing = true;
    const turn = () => {
      if (!storing) return;
      turns += 1;
      setImmediate(turn);
    };
    setImmediate(turn);
    await ingestCapture(
      context,
      { apiKey: SHARED_KEY, events },
      { deliveryId: 'capture:big', receivedAt: now },
    );
    storing = false;

    // 13 parts of 2,000 events, each with its writes of 500 users and 100 exceptions per entity.
    expect(turns).toBeGreaterThanOrEqual(40);
    const range = { from: hour, to: hour + 3_600_000 };
    for (const entityRef of ENTITIES) {
      expect(
        await stores.metrics.getMetricPoints(entityRef, range, [
          'checkout_completed',
        ]),
      ).toEqual([
        {
          metric: 'checkout_completed',
          bucketStart: hour,
          count: 25_000,
          users: 25_000,
        },
      ]);
      const groups = await stores.errors.getErrorGroupRecords(entityRef, {
        lastSeenFrom: range.from,
      });
      expect(groups.reduce((n, group) => n + group.eventCount, 0)).toBe(1_000);
    }
  });

  it('stores a retried request of several parts once', async () => {
    const { stores, context } = await createContext();
    const hour = Math.floor(now / 3_600_000) * 3_600_000;
    const events: CapturedEvent[] = Array.from({ length: 4_500 }, (_, i) => ({
      name: 'signup',
      distinctId: `user-${i % 3_000}`,
      personless: false,
      timestamp: hour + i,
      properties: {},
    }));
    const send = () =>
      ingestCapture(
        context,
        { apiKey: SHARED_KEY, events },
        { deliveryId: 'capture:retried', receivedAt: now },
      );
    expect(await send()).toEqual({ mapped: true, duplicate: false });
    expect(await send()).toEqual({ mapped: true, duplicate: true });
    expect(
      await stores.metrics.getMetricPoints(
        ENTITIES[0],
        { from: hour, to: hour + 3_600_000 },
        ['signup'],
      ),
    ).toEqual([
      { metric: 'signup', bucketStart: hour, count: 4_500, users: 3_000 },
    ]);
  });
});
