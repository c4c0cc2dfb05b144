import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
// The tests run the module against the real Product OS plugin and store.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import { createProductOsStores } from '@internal/plugin-product-os-backend';
import { mockSourceContext } from '@internal/plugin-product-os-node/testUtils';
import { incidentWebhook, noteWebhook } from './__fixtures__/webhooks';
import { ingestAlertEvent } from './events/ingestEvents';
import { parseAlertEvent } from './events/parseEvents';
import { ingestIncidentWebhook } from './webhooks/ingestIncidentWebhook';
import { readIncidentWebhook } from './readDelivery';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

/** Two components run behind one PagerDuty service and share one integration key. */
const ENTITIES = ['component:default/api', 'component:default/worker'].map(
  entityRef => ({
    entityRef,
    annotations: {
      'pagerduty.com/service-id': 'PSHARED',
      'pagerduty.com/integration-key': 'shared-routing-key',
    },
  }),
);

async function createContext() {
  const knex = await databases.init('SQLITE_3');
  const stores = await createProductOsStores({
    database: mockServices.database({ knex }),
  });
  // The kit's context (the host's ingest tail) over the real store.
  const { context, signals } = mockSourceContext({
    store: stores.ingest,
    entities: ENTITIES,
  });
  return { store: stores.incidents, context, signals };
}

const webhook = (payload: object) =>
  readIncidentWebhook(Buffer.from(JSON.stringify(payload)));
const now = Date.now();

describe('ingestIncidentWebhook', () => {
  it('tells the agent about a triggered incident once per entity, and not again on redelivery', async () => {
    const { store, context, signals } = await createContext();
    const base = {
      incidentId: 'PSH4RED',
      serviceId: 'PSHARED',
      createdAt: now - 60_000,
    };
    const triggered = webhook(
      incidentWebhook({
        ...base,
        eventId: 'e1',
        eventType: 'incident.triggered',
        occurredAt: now - 60_000,
        status: 'triggered',
      }),
    );

    expect(await ingestIncidentWebhook(context, triggered)).toBe('stored');
    expect(await ingestIncidentWebhook(context, triggered)).toBe('duplicate');
    expect(
      await ingestIncidentWebhook(
        context,
        webhook(
          incidentWebhook({
            ...base,
            eventId: 'e2',
            eventType: 'incident.acknowledged',
            occurredAt: now,
            status: 'acknowledged',
          }),
        ),
      ),
    ).toBe('stored');
    expect(signals).toEqual([
      ['component:default/api', 'incident_triggered'],
      ['component:default/worker', 'incident_triggered'],
    ]);

    // A note names only the incident; it reaches every entity's copy.
    expect(
      await ingestIncidentWebhook(
        context,
        webhook(
          noteWebhook({
            eventId: 'e3',
            occurredAt: now,
            incidentId: 'PSH4RED',
            content: 'Looking',
          }),
        ),
      ),
    ).toBe('stored');
    const range = { from: now - 3_600_000, to: now + 60_000 };
    for (const entityRef of [
      'component:default/api',
      'component:default/worker',
    ]) {
      const [incident] = await store.getIncidents(entityRef, range);
      expect(incident.status).toBe('acknowledged');
      expect(incident.timeline.map(entry => entry.type)).toEqual([
        'triggered',
        'acknowledged',
        'annotated',
      ]);
    }
  });

  it('stores nothing for a note on an incident it does not know', async () => {
    const { context } = await createContext();
    const note = webhook(
      noteWebhook({
        eventId: 'n1',
        occurredAt: now,
        incidentId: 'PUNSEEN',
        content: 'Hello',
      }),
    );
    expect(await ingestIncidentWebhook(context, note)).toBe('unknown_incident');
  });

  it('ignores events that are not about incidents', async () => {
    const { context } = await createContext();
    const serviceUpdated = webhook({
      event: {
        id: '01BRB6ZP4M6T8ZG4X6BP63ZB9O',
        event_type: 'service.updated',
        resource_type: 'service',
        occurred_at: '2021-03-02T13:35:11.682Z',
        agent: null,
        client: null,
        data: {
          id: 'PF9KMXH',
          type: 'service',
          summary: 'testing service updates',
        },
      },
    });
    expect(await ingestIncidentWebhook(context, serviceUpdated)).toBe(
      'ignored',
    );
  });
});

describe('ingestAlertEvent', () => {
  it('tells the agent when a trigger opens an incident, not when it repeats on an open one', async () => {
    const { context, signals } = await createContext();
    const parsed = parseAlertEvent({
      routing_key: 'shared-routing-key',
      event_action: 'trigger',
      dedup_key: 'queue-depth',
      payload: {
        summary: 'Queue depth above 10k',
        source: 'worker-3',
        severity: 'warning',
      },
    });
    if ('errors' in parsed) throw new Error(parsed.errors.join());

    await ingestAlertEvent(context, parsed.event, {
      eventKey: 'a',
      receivedAt: now,
    });
    await ingestAlertEvent(context, parsed.event, {
      eventKey: 'b',
      receivedAt: now + 1,
    });
    expect(signals).toHaveLength(2);
    expect(signals).toContainEqual([
      'component:default/worker',
      'incident_triggered',
    ]);
  });
});
