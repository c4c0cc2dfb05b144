import { previousErrorTotals } from './__testUtils__/previousReads';
import {
  API,
  describeOnSeededEngines,
  ENTITIES,
  PAYMENTS,
  RANGES,
} from './__testUtils__/readHistory';

jest.setTimeout(60_000);

describe('errorTotals', () => {
  describeOnSeededEngines(seeded => {
    it.each(RANGES)(
      'sums what the series of the window and of the one before summed ($name)',
      async range => {
        const { knex, readModel } = seeded();
        const totals = await readModel.errorTotals(ENTITIES, range);
        for (const entityRef of ENTITIES) {
          const previous = await previousErrorTotals(knex, entityRef, range);
          expect(
            totals.get(entityRef) ?? { events: 0, previousEvents: 0 },
          ).toEqual(previous);
        }
      },
    );

    it('counts each entity only its own groups, and leaves out entities without errors', async () => {
      const { readModel } = seeded();
      const [week] = RANGES.filter(r => r.name === '7d by hour');
      const totals = await readModel.errorTotals(ENTITIES, week);
      expect([...totals.keys()].sort()).toEqual([API, PAYMENTS]);
      // steady 14 + this-week 9 + today 5 + regressed 3 in the week; steady 14 before it.
      expect(totals.get(API)).toEqual({ events: 31, previousEvents: 14 });
    });
  });
});
