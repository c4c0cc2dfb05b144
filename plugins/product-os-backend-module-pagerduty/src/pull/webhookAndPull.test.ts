import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
// The tests read back what the real Product OS store keeps of a webhook and a pull together.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import { createProductOsStores } from '@internal/plugin-product-os-backend';
import { hmacSha256Hex } from '@internal/plugin-product-os-node';
import express from 'express';
import request from 'supertest';
import { incidentWebhook, noteWebhook } from '../__fixtures__/webhooks';
import { readPagerDutyConfig } from '../config';
import { createRouter } from '../router';
import { pullHarness } from './__testUtils__/pullHarness';
import { restIncident, restLogEntry } from './__testUtils__/restFixtures';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const SECRET = 'whsec-pull-and-push';
const SERVICE = 'PF9KMXH';
const INCIDENT = 'PT4KHLK';
const ENTITY = 'component:default/checkout';
const MINUTE = 60_000;
const NOW = Date.parse('2026-12-02T09:00:00Z');
const T = NOW - 3 * 60 * MINUTE; // triggered
const ACK_BY: [string, string] = ['PLH1HKV', 'Tenex Engineer'];

describe.each(databases.eachSupportedId())(
  'A webhook and a pull of one incident on %s',
  databaseId => {
    async function setup() {
      const knex = await databases.init(databaseId as TestDatabaseId);
      const stores = await createProductOsStores({
        database: mockServices.database({ knex }),
      });
      const h = await pullHarness({
        entities: [
          {
            entityRef: ENTITY,
            annotations: { 'pagerduty.com/service-id': SERVICE },
          },
        ],
        now: NOW,
        store: stores.ingest,
      });
      const app = express().use(
        createRouter({
          config: readPagerDutyConfig(
            new ConfigReader({
              productOs: {
                sources: { pagerduty: { webhookSecrets: [SECRET] } },
              },
            }),
          ),
          context: h.context,
        }),
      );
      const deliver = (payload: object) => {
        const body = JSON.stringify(payload);
        return request(app)
          .post('/webhook')
          .set('Content-Type', 'application/json')
          .set('X-PagerDuty-Signature', `v1=${hmacSha256Hex(SECRET, body)}`)
          .send(body)
          .expect(202);
      };
      const rows = async () => {
        const incidents = await knex('incidents').where({
          external_id: INCIDENT,
        });
        const timeline = await knex('incident_events')
          .whereIn(
            'incident_id',
            incidents.map(i => i.id),
          )
          .orderBy('occurred_at');
        return { incidents, timeline: timeline.map(e => [e.type, e.message]) };
      };
      return { h, deliver, rows };
    }

    /** PagerDuty's side: the incident resolved, with the log of what the webhooks told. */
    function serveResolvedIncident(h: Awaited<ReturnType<typeof setup>>['h']) {
      h.server.incidents.push(
        restIncident({
          id: INCIDENT,
          serviceId: SERVICE,
          title: 'A little bump in the road',
          number: 2,
          createdAt: T,
          status: 'resolved',
          statusAt: T + 30 * MINUTE,
          priority: 'P1',
        }),
      );
      h.server.logEntries.set(INCIDENT, [
        restLogEntry({
          id: 'Q02JTSNZWHSEKV',
          incidentId: INCIDENT,
          serviceId: SERVICE,
          type: 'trigger',
          at: T,
        }),
        restLogEntry({
          id: 'Q1ACK',
          incidentId: INCIDENT,
          serviceId: SERVICE,
          type: 'acknowledge',
          at: T + 5 * MINUTE,
          by: ACK_BY,
        }),
        restLogEntry({
          id: 'Q1NOTE',
          incidentId: INCIDENT,
          serviceId: SERVICE,
          type: 'annotate',
          at: T + 6 * MINUTE,
          by: ACK_BY,
          note: 'Rolling back',
        }),
        restLogEntry({
          id: 'Q1RES',
          incidentId: INCIDENT,
          serviceId: SERVICE,
          type: 'resolve',
          at: T + 30 * MINUTE,
          by: ACK_BY,
        }),
      ]);
    }

    const webhook = (
      eventId: string,
      eventType: string,
      occurredAt: number,
      status: 'triggered' | 'acknowledged',
    ) =>
      incidentWebhook({
        eventId,
        eventType,
        occurredAt,
        incidentId: INCIDENT,
        serviceId: SERVICE,
        status,
        createdAt: T,
        assignees: [['PTUXL6G', 'User 123']],
      });

    it('keeps one incident and one timeline when the webhooks came first, and a second pull changes nothing', async () => {
      const { h, deliver, rows } = await setup();
      await deliver(
        webhook(
          '5ac64822-4adc-4fda-ade0-410becf0de4f',
          'incident.triggered',
          T,
          'triggered',
        ),
      );
      await deliver(
        webhook(
          '8f0a1b2c-4adc-4fda-ade0-410becf0de4f',
          'incident.acknowledged',
          T + 5 * MINUTE,
          'acknowledged',
        ),
      );
      await deliver(
        noteWebhook({
          eventId: '9e1b2c3d-4adc-4fda-ade0-410becf0de4f',
          occurredAt: T + 6 * MINUTE,
          incidentId: INCIDENT,
          content: 'Rolling back',
        }),
      );
      serveResolvedIncident(h);

      const first = await h.pullAll();
      const afterFirst = await rows();
      await h.pullAll({ [SERVICE]: first[SERVICE].cursor });

      expect(afterFirst.incidents).toHaveLength(1);
      expect(afterFirst.incidents[0]).toMatchObject({
        entity_ref: ENTITY,
        status: 'resolved',
        title: 'A little bump in the road',
        priority: 'P1',
        url: `https://acme.pagerduty.com/incidents/${INCIDENT}`,
      });
      // The webhook knew the assignee; the resolved incident's answer lists none, so it stays.
      expect(JSON.parse(afterFirst.incidents[0].assignees)).toEqual([
        'User 123',
      ]);
      expect(afterFirst.timeline).toEqual([
        ['triggered', 'Triggered: A little bump in the road'],
        ['acknowledged', 'Acknowledged'],
        ['annotated', 'Note: Rolling back'],
        ['resolved', 'Resolved'],
      ]);
      expect(await rows()).toEqual(afterFirst);
      // The webhook's trigger woke the agent; the pull found nothing new.
      expect(h.signals).toEqual([[ENTITY, 'incident_triggered']]);
      expect(h.server.problems).toEqual([]);
      await h.stop();
    });

    it('adds nothing when the webhooks arrive after a pull stored the same moments', async () => {
      const { h, deliver, rows } = await setup();
      serveResolvedIncident(h);
      await h.pullAll();
      const pulled = await rows();

      await deliver(
        webhook(
          '5ac64822-4adc-4fda-ade0-410becf0de4f',
          'incident.triggered',
          T,
          'triggered',
        ),
      );
      await deliver(
        webhook(
          '8f0a1b2c-4adc-4fda-ade0-410becf0de4f',
          'incident.acknowledged',
          T + 5 * MINUTE,
          'acknowledged',
        ),
      );

      const after = await rows();
      expect(after.timeline).toEqual(pulled.timeline);
      expect(after.incidents).toHaveLength(1);
      // Late webhooks do not move the resolved incident back.
      expect(after.incidents[0].status).toBe('resolved');
      // The pull woke the agent for the incident (resolved within the day); the webhook does not again.
      expect(h.signals).toEqual([[ENTITY, 'incident_triggered']]);
      expect(h.server.problems).toEqual([]);
      await h.stop();
    });
  },
);
