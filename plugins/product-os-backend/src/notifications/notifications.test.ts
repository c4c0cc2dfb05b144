import type { SchedulerService } from '@backstage/backend-plugin-api';
import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import request from 'supertest';
import { startProductOsBackend } from '../__testUtils__/productOsBackend';
import {
  RecordsDelivery,
  recordsSourceModule,
} from '../__testUtils__/recordsSource';

jest.setTimeout(120_000);

const API = 'component:default/checkout-api';
const OWNER = 'user:default/dana';
const OUTSIDER = 'user:default/sam';
const MINUTE_MS = 60_000;

const catalog: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'checkout-api', namespace: 'default' },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/team-checkout',
    },
    relations: [{ type: 'ownedBy', targetRef: 'group:default/team-checkout' }],
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'team-checkout', namespace: 'default' },
    spec: { type: 'team', children: [] },
    relations: [{ type: 'hasMember', targetRef: OWNER }],
  },
  ...['dana', 'sam'].map(name => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name, namespace: 'default' },
    spec: {},
  })),
];

/**
 * The owners of an entity hear of its diagnosis through the real notifications backend: the agent
 * diagnoses what came in through ingestion, the notification reaches the owning team's member
 * (and nobody else), and as the diagnosis is rewritten and then resolved the same notification
 * is updated.
 */
describe('diagnosis notifications', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    let server: any;
    let scheduler: SchedulerService;
    let stop: () => Promise<void>;

    beforeAll(async () => {
      ({ server, scheduler, stop } = await startProductOsBackend({
        // Each plugin a database of its own, as in production: Product OS and the notifications
        // backend both keep their migrations in knex's default table.
        database: {
          'product-os': await databases.init(databaseId),
          notifications: await databases.init(databaseId),
        },
        features: [recordsSourceModule, notificationsPlugin],
        config: { app: { baseUrl: 'http://localhost:3000' } },
        // The agent runs when the test triggers its task, never on a timer.
        productOs: { agent: { signalDebounceSeconds: 3600 } },
        catalog,
        manualTasks: true,
      }));
    });

    afterAll(() => stop?.());

    const ingest = (delivery: RecordsDelivery) =>
      request(server)
        .post('/api/product-os/records/deliveries')
        .set('Authorization', mockCredentials.none.header())
        .send(delivery)
        .expect(202);

    const notificationsOf = async (user: string) => {
      const res = await request(server)
        .get('/api/notifications/notifications?topic=product-os')
        .set('Authorization', mockCredentials.user.header(user));
      expect(res.status).toBe(200);
      return res.body.notifications as Array<{
        id: string;
        read?: string;
        payload: {
          title: string;
          description?: string;
          link?: string;
          severity: string;
          topic?: string;
          scope?: string;
        };
      }>;
    };

    /** A new error in code the deploy just changed, `count` events from `from` on. */
    const errors = (from: number, count: number, offset = 0) =>
      Array.from({ length: count }, (_, i) => ({
        entityRef: API,
        source: 'sentry' as const,
        fingerprint: 'cart-total-nan',
        eventId: `event-${offset + i}`,
        title:
          'TypeError: Cannot read properties of undefined (reading amount)',
        level: 'error',
        timestamp: from + i * 3_000,
        topFrames: [
          {
            filename: 'src/cart/totals.ts',
            function: 'lineTotal',
            inApp: true,
          },
        ],
      }));

    it('notifies the owners once per case, and updates that notification as the diagnosis changes and is resolved', async () => {
      // The data is laid out before now, since the agent judges against the clock it runs on.
      const liveAt = Date.now() - 20 * MINUTE_MS;
      await ingest({
        deliveryId: 'deploy',
        changes: [
          {
            entityRef: API,
            source: 'github',
            kind: 'deployment',
            externalId: 'deployment-1',
            title: 'Deploy 8a1b2c3 to production',
            sha: '8a1b2c3d4e5f60718293a4b5c6d7e8f901234567',
            environment: 'production',
            status: 'success',
            occurredAt: liveAt - 90_000,
            finishedAt: liveAt,
            files: ['src/cart/totals.ts'],
          },
        ],
      });
      await ingest({
        deliveryId: 'errors-1',
        errors: errors(liveAt + MINUTE_MS, 20),
      });

      await scheduler.triggerTask('product-os.diagnosis-agent');

      const [first, ...more] = await notificationsOf(OWNER);
      expect(more).toEqual([]);
      const diagnoses = await request(server)
        .get(
          '/api/product-os/entities/component/default/checkout-api/diagnoses',
        )
        .set('Authorization', mockCredentials.user.header(OWNER));
      const [diagnosis] = diagnoses.body.items;
      expect(diagnosis).toMatchObject({
        actionability: 'actionable',
        verdict: 'suspect',
      });
      expect(first.payload).toMatchObject({
        title:
          'A new error in checkout-api: 20 error events. Likely cause: Deploy 8a1b2c3 in checkout-api, went live 1 min before the trouble began',
        description: expect.stringMatching(
          /^Next step: .+\. Confidence: (High|Medium) \(\d+%\)\.$/,
        ),
        link: `/catalog/default/component/checkout-api/product-os#product-os-diagnosis-${diagnosis.id}`,
        severity: 'high',
        topic: 'product-os',
        scope: `product-os:${API}:anomaly:${diagnosis.anomalyId}`,
      });
      // Nobody outside the owning team hears of it.
      expect(await notificationsOf(OUTSIDER)).toEqual([]);

      // An agent run with nothing new leaves the notification as it was, read or not.
      await request(server)
        .post('/api/notifications/notifications/update')
        .set('Authorization', mockCredentials.user.header(OWNER))
        .send({ ids: [first.id], read: true })
        .expect(200);
      await scheduler.triggerTask('product-os.diagnosis-agent');
      const [unchanged] = await notificationsOf(OWNER);
      expect(unchanged.read).toBeTruthy();

      // More of the error: the diagnosis is rewritten in place, and so is its notification.
      await ingest({
        deliveryId: 'errors-2',
        errors: errors(liveAt + 2 * MINUTE_MS, 20, 20),
      });
      await scheduler.triggerTask('product-os.diagnosis-agent');
      const updated = await notificationsOf(OWNER);
      expect(updated).toHaveLength(1);
      expect(updated[0].id).toBe(first.id);
      expect(updated[0].payload.title).toMatch(
        /^A new error in checkout-api: 40 error events\. Likely cause: Deploy 8a1b2c3/,
      );
      // An update is news: unread again.
      expect(updated[0].read).toBeFalsy();

      // Resolved by a person: the same notification says so, at the lowest severity.
      await request(server)
        .post(`/api/product-os/diagnoses/${diagnosis.id}/status`)
        .set('Authorization', mockCredentials.user.header(OWNER))
        .send({ status: 'resolved' })
        .expect(200);
      const resolved = await notificationsOf(OWNER);
      expect(resolved).toHaveLength(1);
      expect(resolved[0].id).toBe(first.id);
      expect(resolved[0].payload).toMatchObject({
        title: expect.stringMatching(/^Resolved: A new error in checkout-api/),
        severity: 'low',
      });
    });
  });
});
