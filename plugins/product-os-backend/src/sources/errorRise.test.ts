import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import {
  ErrorEventInput,
  errorEventsFor,
} from '@internal/plugin-product-os-node';
import { mockSourceContext } from '@internal/plugin-product-os-node/testUtils';
import { createProductOsStores } from '../database/createProductOsStores';
import { SharpErrorRise } from './SharpErrorRise';

/*
 * The host's ingest tail over the real store on both engines: what a source writes is judged
 * for a sharp rise from the hourly buckets the store wrote, so redeliveries do not count and
 * any backend instance sees the same counts.
 */

jest.setTimeout(60_000);

const HOUR = 60 * 60_000;
const API = 'component:default/checkout-api';

function event(eventId: string, fingerprint: string, timestamp: number) {
  return {
    entityRef: API,
    source: 'sentry' as const,
    fingerprint,
    eventId,
    title: `Error ${fingerprint}`,
    level: 'error',
    timestamp,
    topFrames: [],
  };
}

describe('the ingest tail on the real store', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    async function setup(now: () => number) {
      const knex = await databases.init(databaseId);
      const stores = await createProductOsStores({
        database: mockServices.database({ knex }),
      });
      const mock = mockSourceContext({
        store: stores.ingest,
        entities: [
          {
            entityRef: 'component:default/web',
            annotations: { 'sentry.io/project-slug': 'shared' },
          },
          {
            entityRef: 'component:default/worker',
            annotations: { 'sentry.io/project-slug': 'shared' },
          },
        ],
        riseCheck: new SharpErrorRise(
          stores.errors,
          { minEvents: 20, minRatio: 3 },
          { now },
        ),
      });
      const write = (events: ErrorEventInput[], deliveryId?: string) =>
        mock.context.store.ingest({ source: 'sentry', deliveryId }, writer =>
          writer.recordErrorEvents(events),
        );
      return { knex, write, ...mock };
    }

    it('signals a sharp rise of an existing group once, and not its steady hours or a redelivery', async () => {
      const start = Date.UTC(2026, 10, 20, 0, 5);
      let clock = start;
      const { write, signals } = await setup(() => clock);
      let ids = 0;
      const burst = (count: number, at: number) =>
        Array.from({ length: count }, (_, i) =>
          event(
            `rise-${String(++ids).padStart(26, '0')}`,
            'fp-steady',
            at + i * 1000,
          ),
        );

      for (let h = 0; h < 7; h++) {
        clock = start + h * HOUR;
        await write(burst(5, clock));
      }
      // The first hour's five, a second apart, are what the agent may count for a new group;
      // the steady hours after it are nothing.
      const steady = [
        [API, 'new_error_group'],
        [API, 'error_rise'],
      ];
      expect(signals).toEqual(steady);

      clock = start + 7 * HOUR + 10 * 60_000;
      const spike = burst(40, clock - 60_000);
      await write(spike);
      expect(signals).toEqual([...steady, [API, 'error_rise']]);

      // The same events again a little later are duplicates; more of the rise within the hour
      // after a signal are already being looked at.
      clock += 6 * 60_000;
      await write(spike);
      await write(burst(40, clock - 60_000));
      expect(signals).toHaveLength(3);
    });

    it('signals a rise written through a webhook delivery too, after the commit', async () => {
      const start = Date.UTC(2026, 10, 20, 0, 5);
      let clock = start;
      const { write, signals } = await setup(() => clock);
      const deliver = (from: number, count: number, at: number) =>
        write(
          Array.from({ length: count }, (_, i) =>
            event(
              `hook-${String(from + i).padStart(26, '0')}`,
              'fp-hook',
              at + i * 1000,
            ),
          ),
          `delivery-${from}`,
        );
      for (let h = 0; h < 7; h++) {
        clock = start + h * HOUR;
        await deliver(h * 100, 2, clock);
      }
      clock = start + 7 * HOUR + 20 * 60_000;
      await deliver(10_000, 30, clock - 120_000);
      expect(signals.filter(([, reason]) => reason === 'error_rise')).toEqual([
        [API, 'error_rise'],
      ]);
    });

    it('gives each entity claiming a project its own copy of the events', async () => {
      const { context, write, signals, knex } = await setup(Date.now);
      const claimed = await context.store.claim({
        source: 'sentry',
        annotation: 'sentry.io/project-slug',
        values: ['shared'],
        unmappedKey: 'shared',
        at: Date.now(),
      });
      const entityRefs = claimed.map(entity => entity.entityRef);
      const events = [event('e'.repeat(32), 'fp-4', Date.now() - 60_000)];
      await write(errorEventsFor(entityRefs, events));
      expect(signals.map(([ref]) => ref).sort()).toEqual([
        'component:default/web',
        'component:default/worker',
      ]);
      await write(errorEventsFor(entityRefs, events));
      const groups = await knex('error_groups').orderBy('entity_ref');
      expect(groups.map(g => [g.entity_ref, Number(g.event_count)])).toEqual([
        ['component:default/web', 1],
        ['component:default/worker', 1],
      ]);
    });

    it('counts a project nobody claims as unmapped', async () => {
      const { context, knex } = await setup(Date.now);
      const claim = {
        source: 'sentry' as const,
        annotation: 'sentry.io/project-slug',
        values: ['nobody'],
        unmappedKey: 'nobody',
        at: Date.now(),
      };
      expect(await context.store.claim(claim)).toEqual([]);
      await context.store.claim(claim);
      const [row] = await knex('unmapped_deliveries');
      expect({ key: row.key, count: Number(row.count) }).toEqual({
        key: 'nobody',
        count: 2,
      });
      expect(Number((await knex('error_groups').count({ n: '*' }))[0].n)).toBe(
        0,
      );
    });
  });
});
