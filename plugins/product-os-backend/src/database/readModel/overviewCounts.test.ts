import { WAITING_FOR_A_PERSON } from '@internal/plugin-product-os-common';
import {
  previousChangeEvents,
  previousDiagnoses,
  previousErrorGroups,
  previousErrorTotals,
  previousIncidents,
} from './__testUtils__/previousReads';
import {
  API,
  describeOnSeededEngines,
  ENTITIES,
  RANGES,
} from './__testUtils__/readHistory';

jest.setTimeout(60_000);

describe('overviewCounts', () => {
  describeOnSeededEngines(seeded => {
    it.each(RANGES)(
      'has the numbers the overview derived from the store’s lists ($name)',
      async range => {
        const { knex, readModel } = seeded();
        for (const entityRef of ENTITIES) {
          const [groups, incidents, deployments, diagnoses, waiting] =
            await Promise.all([
              previousErrorGroups(knex, entityRef, { ...range, limit: 500 }),
              previousIncidents(knex, entityRef, range),
              previousChangeEvents(knex, entityRef, {
                ...range,
                kinds: ['deployment'],
              }),
              previousDiagnoses(knex, { entityRefs: [entityRef], limit: 50 }),
              previousDiagnoses(knex, {
                entityRefs: [entityRef],
                statuses: ['open'],
                actionability: [...WAITING_FOR_A_PERSON],
                limit: 500,
              }),
            ]);
          const counts = await readModel.overviewCounts(entityRef, range);
          expect(counts).toEqual({
            errors: {
              ...(await previousErrorTotals(knex, entityRef, range)),
              groups: groups.length,
              newGroups: groups.filter(g => g.isNew).length,
            },
            incidents: {
              total: incidents.length,
              open: incidents.filter(i => i.status !== 'resolved').length,
            },
            deploys: deployments.length,
            diagnoses: {
              open: diagnoses.filter(d => d.status === 'open').length,
              waitingForAPerson: waiting.length,
            },
          });
        }
      },
    );

    it('reads zeros for an entity with nothing stored, and the entity’s own numbers otherwise', async () => {
      const { readModel } = seeded();
      const [week] = RANGES.filter(r => r.name === '7d by hour');
      expect(
        await readModel.overviewCounts('component:default/quiet', week),
      ).toEqual({
        errors: { events: 0, previousEvents: 0, groups: 0, newGroups: 0 },
        incidents: { total: 0, open: 0 },
        deploys: 0,
        diagnoses: { open: 0, waitingForAPerson: 0 },
      });
      expect(await readModel.overviewCounts(API, week)).toEqual({
        errors: { events: 31, previousEvents: 14, groups: 4, newGroups: 2 },
        incidents: { total: 4, open: 2 },
        deploys: 2,
        diagnoses: { open: 2, waitingForAPerson: 2 },
      });
    });

    it('names the newest diagnosis of each entity, as the store’s newest-first list does', async () => {
      const { knex, readModel } = seeded();
      for (const range of RANGES) {
        for (const entityRef of ENTITIES) {
          const [newest] = await previousDiagnoses(knex, {
            entityRefs: [entityRef],
            limit: 1,
          });
          const numbers = await readModel.overviewNumbers(entityRef, range);
          expect(numbers.latestDiagnosisId).toBe(
            newest ? Number(newest.id) : undefined,
          );
          expect(numbers.counts).toEqual(
            await readModel.overviewCounts(entityRef, range),
          );
        }
      }
      const withDiagnoses = await previousDiagnoses(knex, {
        entityRefs: ENTITIES,
        limit: 1,
      });
      expect(withDiagnoses).toHaveLength(1);
    });
  });
});
