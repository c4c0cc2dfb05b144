import { WAITING_FOR_A_PERSON } from '@internal/plugin-product-os-common';
import { previousDiagnoses } from './__testUtils__/previousReads';
import {
  API,
  describeOnSeededEngines,
  ENTITIES,
  PAYMENTS,
} from './__testUtils__/readHistory';

jest.setTimeout(60_000);

describe('openDiagnosisCounts', () => {
  describeOnSeededEngines(seeded => {
    it('counts the open diagnoses the overview counted, and those the leaders’ page counted', async () => {
      const { knex, readModel } = seeded();
      const counts = await readModel.openDiagnosisCounts(ENTITIES);
      for (const entityRef of ENTITIES) {
        // The overview: open ones among the entity's newest 50.
        const newest = await previousDiagnoses(knex, {
          entityRefs: [entityRef],
          limit: 50,
        });
        // The leaders' page: open and waiting for a person, per entity.
        const waiting = await previousDiagnoses(knex, {
          entityRefs: ENTITIES,
          statuses: ['open'],
          actionability: [...WAITING_FOR_A_PERSON],
          limit: 500,
        });
        expect(
          counts.get(entityRef) ?? { open: 0, waitingForAPerson: 0 },
        ).toEqual({
          open: newest.filter(d => d.status === 'open').length,
          waitingForAPerson: waiting.filter(d => d.entity_ref === entityRef)
            .length,
        });
      }
    });

    it('counts open diagnoses, whatever a person did with the others', async () => {
      const { readModel } = seeded();
      const counts = await readModel.openDiagnosisCounts(ENTITIES);
      // checkout-api: two open needing a human, one acknowledged, one resolved.
      expect(Object.fromEntries(counts)).toEqual({
        [API]: { open: 2, waitingForAPerson: 2 },
        [PAYMENTS]: { open: 1, waitingForAPerson: 1 },
      });
    });
  });
});
