import { previousIncidents } from './__testUtils__/previousReads';
import {
  API,
  describeOnSeededEngines,
  ENTITIES,
  PAYMENTS,
  RANGES,
  SEARCH,
} from './__testUtils__/readHistory';

jest.setTimeout(60_000);

describe('incidentCounts', () => {
  describeOnSeededEngines(seeded => {
    it.each(RANGES)(
      'counts the incidents, and the open ones, of the incident list ($name)',
      async range => {
        const { knex, readModel } = seeded();
        const counts = await readModel.incidentCounts(ENTITIES, range);
        for (const entityRef of ENTITIES) {
          const incidents = await previousIncidents(knex, entityRef, range);
          expect(counts.get(entityRef) ?? { total: 0, open: 0 }).toEqual({
            total: incidents.length,
            open: incidents.filter(i => i.status !== 'resolved').length,
          });
        }
      },
    );

    it('counts what is open, created in the window, or resolved inside it', async () => {
      const { readModel } = seeded();
      const [week] = RANGES.filter(r => r.name === '7d by hour');
      const counts = await readModel.incidentCounts(ENTITIES, week);
      // checkout-api: triggered today, resolved three days ago, acknowledged since 20 days,
      // resolved six days ago; not the one resolved 39 days ago.
      expect(Object.fromEntries(counts)).toEqual({
        [API]: { total: 4, open: 2 },
        [PAYMENTS]: { total: 1, open: 1 },
        [SEARCH]: { total: 1, open: 0 },
      });
    });
  });
});
