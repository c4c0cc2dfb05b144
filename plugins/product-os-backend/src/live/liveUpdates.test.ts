import { SchedulerService } from '@backstage/backend-plugin-api';
import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import {
  entityChannel,
  type EntityChangedMessage,
} from '@internal/plugin-product-os-common';
import request from 'supertest';
import { startProductOsBackend } from '../__testUtils__/productOsBackend';
import { recordsSourceModule } from '../__testUtils__/recordsSource';

jest.setTimeout(60_000);

const API = 'component:default/checkout-api';

const catalog: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'checkout-api', namespace: 'default' },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
  },
];

interface Published {
  channel: string;
  recipients: { type: string };
  message: EntityChangedMessage;
}
const published: Published[] = [];
const waiters: Array<() => void> = [];

/**
 * Listens where the signals backend listens: the events service's `signals` topic, which the
 * signals service Product OS is given publishes to.
 */
const signalsListener = createBackendModule({
  pluginId: 'product-os',
  moduleId: 'test-signals-listener',
  register(env) {
    env.registerInit({
      deps: { events: eventsServiceRef },
      async init({ events }) {
        await events.subscribe({
          id: 'test-signals-listener',
          topics: ['signals'],
          async onEvent({ eventPayload }) {
            published.push(eventPayload as Published);
            waiters.splice(0).forEach(wake => wake());
          },
        });
      },
    });
  },
});

/**
 * A page's live updates through the real signals service: a signal on the entity's channel when
 * an event is stored, and when the agent records an anomaly and writes a diagnosis from it.
 */
describe('live updates of an entity page', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    let server: any;
    let scheduler: SchedulerService;
    let stop: () => Promise<void>;

    beforeAll(async () => {
      ({ server, scheduler, stop } = await startProductOsBackend({
        database: await databases.init(databaseId),
        features: [recordsSourceModule, signalsListener],
        productOs: {
          agent: { signalDebounceSeconds: 3600 },
          // The changes of one test follow each other closely; none waits for another.
          liveUpdates: { minIntervalSeconds: 0.001 },
        },
        catalog,
        manualTasks: true,
      }));
    });

    afterAll(() => stop?.());

    /** The signals published on the entity's channel, as the signals backend receives them. */
    function subscribe(entityRef: string) {
      const next = (matches: (m: EntityChangedMessage) => boolean) =>
        new Promise<EntityChangedMessage>(resolve => {
          const check = () => {
            const found = published
              .filter(p => p.channel === entityChannel(entityRef))
              .map(p => p.message)
              .find(matches);
            if (found) resolve(found);
            else waiters.push(check);
          };
          check();
        });
      const messages = () =>
        published
          .filter(p => p.channel === entityChannel(entityRef))
          .map(p => p.message);
      return { next, messages };
    }

    it('publishes on the entity channel when an event is stored and when a diagnosis is written', async () => {
      published.length = 0;
      const page = subscribe(API);
      const liveAt = Date.now() - 20 * 60_000;
      await request(server)
        .post('/api/product-os/records/deliveries')
        .set('Authorization', mockCredentials.none.header())
        .send({
          deliveryId: 'd-1',
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
          errors: Array.from({ length: 20 }, (_, i) => ({
            entityRef: API,
            source: 'sentry',
            fingerprint: 'cart-total-nan',
            eventId: `event-${i}`,
            title: 'TypeError: Cannot read properties of undefined',
            level: 'error',
            timestamp: liveAt + 60_000 + i * 3_000,
            topFrames: [{ filename: 'src/cart/totals.ts', inApp: true }],
          })),
        })
        .expect(202);
      const ingested = await page.next(m => m.topics.includes('errors'));
      expect(ingested).toEqual({
        entityRef: API,
        topics: expect.arrayContaining(['changes', 'errors']),
      });

      await scheduler.triggerTask('product-os.diagnosis-agent');
      const diagnosed = await page.next(m => m.topics.includes('diagnoses'));
      expect(diagnosed.entityRef).toBe(API);
      expect(page.messages().some(m => m.topics.includes('anomalies'))).toBe(
        true,
      );
      // Broadcast, so every open page of the entity hears it; it says nothing but what changed.
      expect(published.every(p => p.recipients.type === 'broadcast')).toBe(
        true,
      );
    });
  });
});
