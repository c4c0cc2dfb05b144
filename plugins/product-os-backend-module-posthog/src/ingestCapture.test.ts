import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
// The test writes through the real Product OS store.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import { DatabaseProductOsStore } from '@internal/plugin-product-os-backend';
import type { ProductOsSourceContext } from '@internal/plugin-product-os-node';
import type { CapturedEvent } from './capture/normalizeEvents';
import { ingestCapture } from './ingestCapture';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const SHARED_KEY = 'phc_sharedByWebAndApi';
const ENTITIES = ['component:default/shop-web', 'component:default/shop-api'];

async function createContext() {
  const knex = await databases.init('SQLITE_3');
  const store = await DatabaseProductOsStore.create({
    database: mockServices.database({ knex }),
  });
  const notify = jest.fn();
  const refsOf = (value: string) => (value === SHARED_KEY ? ENTITIES : []);
  const context: ProductOsSourceContext = {
    store,
    entities: {
      findByAnnotation: async (_annotation, value) => refsOf(value),
      findEntitiesByAnnotation: async (annotation, value) =>
        refsOf(value).map(entityRef => ({
          entityRef,
          annotations: { [annotation]: value },
        })),
    },
    notifier: { notify },
    logger: mockServices.logger.mock(),
  };
  return { store, context, notify };
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
    const { store, context, notify } = await createContext();
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
    expect(notify.mock.calls).toEqual(
      ENTITIES.map(ref => [ref, 'new_error_group']),
    );

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
    expect(notify).toHaveBeenCalledTimes(2);

    const range = { from: now - 3_600_000, to: now + 60_000, limit: 10 };
    for (const entityRef of ENTITIES) {
      const groups = await store.getErrorGroups(entityRef, range);
      expect(groups.map(group => [group.title, group.count])).toEqual([
        ['RangeError: Invalid array length 40', 2],
      ]);
    }
  });

  it('counts a request for an unknown key as unmapped and stores nothing', async () => {
    const { store, context } = await createContext();
    const outcome = await ingestCapture(
      context,
      {
        apiKey: 'phc_unknown',
        events: [exception('0191d0c5-3333-7000-8000-000000000001', 'x')],
      },
      { deliveryId: 'capture:three', receivedAt: now },
    );
    expect(outcome).toEqual({ mapped: false, duplicate: false });
    expect(await store.listUnmapped()).toEqual([
      expect.objectContaining({
        source: 'posthog',
        key: 'project-key:phc_unknown',
        count: 1,
      }),
    ]);
  });
});
