import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
// The real store, so that what "new group" means is tested on both engines.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import { DatabaseProductOsStore } from '@internal/plugin-product-os-backend';
import type {
  EntityResolver,
  IngestSignalReason,
} from '@internal/plugin-product-os-node';
import type { SentryErrorEvent } from '../events/toErrorEvent';
import { SentryProjects } from '../projects';
import { ErrorIngestor } from './ErrorIngestor';

jest.setTimeout(60_000);

const entities: EntityResolver = {
  async findByAnnotation(_annotation, value) {
    if (value === 'checkout-api') return ['component:default/checkout-api'];
    if (value === 'shared')
      return ['component:default/web', 'component:default/worker'];
    return [];
  },
  async findEntitiesByAnnotation() {
    return [];
  },
};

function event(eventId: string, fingerprint: string): SentryErrorEvent {
  return {
    source: 'sentry',
    fingerprint,
    eventId,
    title: `Error ${fingerprint}`,
    level: 'error',
    timestamp: Date.now() - 60_000,
    topFrames: [],
  };
}

describe('ErrorIngestor', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    async function setup(now?: () => number) {
      const knex = await databases.init(databaseId);
      const store = await DatabaseProductOsStore.create({
        database: mockServices.database({ knex }),
      });
      const signals: [string, IngestSignalReason][] = [];
      const projects = new SentryProjects(
        {
          projects: [
            { id: '1', publicKey: 'k1', slug: 'checkout-api' },
            { id: '2', publicKey: 'k2', slug: 'shared' },
            { id: '3', publicKey: 'k3', slug: 'nobody' },
          ],
        },
        entities,
      );
      const ingestor = new ErrorIngestor(
        {
          store,
          notifier: { notify: (ref, reason) => signals.push([ref, reason]) },
        },
        projects,
        { now },
      );
      return { knex, ingestor, signals, projects };
    }

    it('signals a new error group once, after it is stored', async () => {
      const { ingestor, signals, projects } = await setup();
      const project = projects.get('1')!;

      await ingestor.recordEvents(project, [event('a'.repeat(32), 'fp-1')]);
      expect(signals).toEqual([
        ['component:default/checkout-api', 'new_error_group'],
      ]);

      await ingestor.recordEvents(project, [event('b'.repeat(32), 'fp-1')]);
      expect(signals).toHaveLength(1);

      await ingestor.recordEvents(project, [event('c'.repeat(32), 'fp-2')]);
      expect(signals).toHaveLength(2);
    });

    it('signals nothing when the transaction fails, and stores nothing', async () => {
      const { ingestor, signals, projects, knex } = await setup();
      await expect(
        ingestor.write(projects.get('1')!, undefined, async writer => {
          await writer.recordErrorEvents([
            {
              ...event('d'.repeat(32), 'fp-3'),
              entityRef: 'component:default/checkout-api',
            },
          ]);
          throw new Error('database went away');
        }),
      ).rejects.toThrow('database went away');
      expect(signals).toEqual([]);
      expect(Number((await knex('error_groups').count({ n: '*' }))[0].n)).toBe(
        0,
      );
    });

    it('gives each entity claiming a project its own copy of the events', async () => {
      const { ingestor, signals, projects, knex } = await setup();
      const outcome = await ingestor.recordEvents(projects.get('2')!, [
        event('e'.repeat(32), 'fp-4'),
      ]);
      expect(outcome).toEqual({ mapped: true });
      expect(signals.map(([ref]) => ref).sort()).toEqual([
        'component:default/web',
        'component:default/worker',
      ]);
      await ingestor.recordEvents(projects.get('2')!, [
        event('e'.repeat(32), 'fp-4'),
      ]);
      const groups = await knex('error_groups').orderBy('entity_ref');
      expect(groups.map(g => [g.entity_ref, Number(g.event_count)])).toEqual([
        ['component:default/web', 1],
        ['component:default/worker', 1],
      ]);
    });

    it('signals a sharp rise of an existing group once, and not its steady hours or a redelivery', async () => {
      const hour = 60 * 60_000;
      const start = Date.UTC(2026, 10, 20, 0, 5);
      let clock = start;
      const { ingestor, signals, projects } = await setup(() => clock);
      const project = projects.get('1')!;
      let ids = 0;
      const burst = (count: number, at: number) =>
        Array.from({ length: count }, (_, i) => ({
          ...event(`rise-${String(++ids).padStart(26, '0')}`, 'fp-steady'),
          timestamp: at + i * 1000,
        }));

      for (let h = 0; h < 7; h++) {
        clock = start + h * hour;
        await ingestor.recordEvents(project, burst(5, clock));
      }
      expect(signals).toEqual([
        ['component:default/checkout-api', 'new_error_group'],
      ]);

      clock = start + 7 * hour + 10 * 60_000;
      const spike = burst(40, clock - 60_000);
      await ingestor.recordEvents(project, spike);
      expect(signals).toEqual([
        ['component:default/checkout-api', 'new_error_group'],
        ['component:default/checkout-api', 'error_rise'],
      ]);

      // The same events again a little later are duplicates; more of the rise within the hour
      // after a signal are already being looked at.
      clock += 6 * 60_000;
      await ingestor.recordEvents(project, spike);
      await ingestor.recordEvents(project, burst(40, clock - 60_000));
      expect(signals).toHaveLength(2);
    });

    it('signals a rise written through a webhook delivery too, after the commit', async () => {
      const hour = 60 * 60_000;
      const start = Date.UTC(2026, 10, 20, 0, 5);
      let clock = start;
      const { ingestor, signals, projects } = await setup(() => clock);
      const project = projects.get('1')!;
      const entityRef = 'component:default/checkout-api';
      const deliver = (from: number, count: number, at: number) =>
        ingestor.write(project, `delivery-${from}`, writer =>
          writer.recordErrorEvents(
            Array.from({ length: count }, (_, i) => ({
              ...event(`hook-${String(from + i).padStart(26, '0')}`, 'fp-hook'),
              entityRef,
              timestamp: at + i * 1000,
            })),
          ),
        );
      for (let h = 0; h < 7; h++) {
        clock = start + h * hour;
        await deliver(h * 100, 2, clock);
      }
      clock = start + 7 * hour + 20 * 60_000;
      await deliver(10_000, 30, clock - 120_000);
      expect(signals.filter(([, reason]) => reason === 'error_rise')).toEqual([
        [entityRef, 'error_rise'],
      ]);
    });

    it('counts a project nobody claims as unmapped', async () => {
      const { ingestor, projects, knex } = await setup();
      const project = projects.get('3')!;
      expect(
        await ingestor.recordEvents(project, [event('f'.repeat(32), 'fp-5')]),
      ).toEqual({
        mapped: false,
      });
      await ingestor.recordEvents(project, [event('0'.repeat(32), 'fp-5')]);
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
