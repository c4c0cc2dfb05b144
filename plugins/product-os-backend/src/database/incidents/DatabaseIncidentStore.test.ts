import type {
  IncidentInput,
  IncidentTimelineInput,
} from '@internal/plugin-product-os-node';
import { Knex } from 'knex';
import { emptyDatabase } from '../../__testUtils__/emptyDatabase';
import {
  at,
  ENTITY,
  isoAt,
  OTHER_ENTITY,
  pagerDutyIncident,
  storeTestDatabases,
  testStores,
  timelineEntry,
} from '../__testUtils__/storeFixtures';
import type { ProductOsStores } from '../createProductOsStores';

jest.setTimeout(60_000);

describe('DatabaseIncidentStore', () => {
  const databases = storeTestDatabases();

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    let knex: Knex;
    let stores: ProductOsStores;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
    });

    beforeEach(async () => {
      stores = await testStores(knex, { sampleSize: 3 });
      await emptyDatabase(knex);
    });

    describe('incidents', () => {
      async function upsertIncident(
        incident: IncidentInput,
        timeline?: IncidentTimelineInput[],
      ) {
        await stores.ingest.ingest({ source: 'pagerduty' }, writer =>
          writer.upsertIncident(incident, timeline),
        );
      }

      it('follows an incident from triggered to resolved in one row', async () => {
        const triggered = timelineEntry('R1', 'incident.triggered', at(14, 20));
        await upsertIncident(pagerDutyIncident(), [triggered]);
        await upsertIncident(
          pagerDutyIncident({
            status: 'acknowledged',
            acknowledgedAt: at(14, 24),
            assignees: ['PXPGF42', 'P4TLZ0B'],
          }),
          [
            triggered,
            timelineEntry(
              'R2',
              'incident.acknowledged',
              at(14, 24),
              'Mona Lisa',
            ),
          ],
        );
        await upsertIncident(
          {
            entityRef: ENTITY,
            source: 'pagerduty',
            externalId: 'Q2K7XG0JQZ4P8A',
            title: 'Checkout API error rate above 5%',
            status: 'resolved',
            createdAt: at(14, 20),
            resolvedAt: at(15, 5),
          },
          [timelineEntry('R3', 'incident.resolved', at(15, 5), 'Mona Lisa')],
        );
        // A redelivered acknowledgement adds nothing to the timeline.
        await upsertIncident(
          {
            entityRef: ENTITY,
            source: 'pagerduty',
            externalId: 'Q2K7XG0JQZ4P8A',
            title: 'Checkout API error rate above 5%',
            status: 'resolved',
            createdAt: at(14, 20),
          },
          [
            timelineEntry(
              'R2',
              'incident.acknowledged',
              at(14, 24),
              'Mona Lisa',
            ),
          ],
        );

        const incidents = await stores.incidents.getIncidents(ENTITY, {
          from: at(0),
          to: at(24),
        });
        expect(incidents).toEqual([
          {
            id: expect.any(Number),
            entityRef: ENTITY,
            source: 'pagerduty',
            externalId: 'Q2K7XG0JQZ4P8A',
            title: 'Checkout API error rate above 5%',
            urgency: 'high',
            priority: 'P1',
            status: 'resolved',
            createdAt: isoAt(14, 20),
            acknowledgedAt: isoAt(14, 24),
            resolvedAt: isoAt(15, 5),
            assignees: ['PXPGF42', 'P4TLZ0B'],
            url: 'https://acme.pagerduty.com/incidents/Q2K7XG0JQZ4P8A',
            timeline: [
              {
                type: 'incident.triggered',
                message: 'Incident triggered',
                actor: undefined,
                occurredAt: isoAt(14, 20),
              },
              {
                type: 'incident.acknowledged',
                message: 'Incident acknowledged',
                actor: 'Mona Lisa',
                occurredAt: isoAt(14, 24),
              },
              {
                type: 'incident.resolved',
                message: 'Incident resolved',
                actor: 'Mona Lisa',
                occurredAt: isoAt(15, 5),
              },
            ],
          },
        ]);
        expect(await knex('incidents').select('id')).toHaveLength(1);
        expect(await knex('incident_events').select('id')).toHaveLength(3);
      });

      it('keeps the same incident apart per entity', async () => {
        await upsertIncident(pagerDutyIncident(), [
          timelineEntry('R1', 'incident.triggered', at(14, 20)),
        ]);
        await upsertIncident(pagerDutyIncident({ entityRef: OTHER_ENTITY }), [
          timelineEntry('R1', 'incident.triggered', at(14, 20)),
        ]);
        const mine = await stores.incidents.getIncidents(ENTITY, {
          from: at(0),
          to: at(24),
        });
        const theirs = await stores.incidents.getIncidents(OTHER_ENTITY, {
          from: at(0),
          to: at(24),
        });
        expect(mine).toHaveLength(1);
        expect(theirs).toHaveLength(1);
        expect(mine[0].id).not.toBe(theirs[0].id);
        expect(theirs[0].timeline).toHaveLength(1);
      });

      it('includes incidents that overlap the window', async () => {
        const window = { from: at(0), to: at(24) };
        await upsertIncident(
          pagerDutyIncident({
            externalId: 'OPEN-SINCE-YESTERDAY',
            createdAt: at(-20),
          }),
        );
        await upsertIncident(
          pagerDutyIncident({
            externalId: 'RESOLVED-INSIDE',
            createdAt: at(-3),
            status: 'resolved',
            resolvedAt: at(2),
          }),
        );
        await upsertIncident(
          pagerDutyIncident({
            externalId: 'RESOLVED-BEFORE',
            createdAt: at(-10),
            status: 'resolved',
            resolvedAt: at(-9),
          }),
        );
        await upsertIncident(
          pagerDutyIncident({ externalId: 'INSIDE', createdAt: at(9) }),
        );
        await upsertIncident(
          pagerDutyIncident({ externalId: 'AFTER', createdAt: at(24) }),
        );
        // Resolved the day before, then reopened: open again, though it keeps its resolution time.
        await upsertIncident(
          pagerDutyIncident({
            externalId: 'REOPENED',
            createdAt: at(-30),
            status: 'resolved',
            resolvedAt: at(-29),
          }),
        );
        await upsertIncident(
          pagerDutyIncident({
            externalId: 'REOPENED',
            createdAt: at(-30),
            status: 'triggered',
          }),
        );

        const incidents = await stores.incidents.getIncidents(ENTITY, window);
        expect(incidents.map(i => [i.externalId, i.status])).toEqual([
          ['INSIDE', 'triggered'],
          ['RESOLVED-INSIDE', 'resolved'],
          ['OPEN-SINCE-YESTERDAY', 'triggered'],
          ['REOPENED', 'triggered'],
        ]);
      });
    });
  });
});
