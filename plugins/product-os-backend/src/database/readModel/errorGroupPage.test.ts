import { previousErrorGroups } from './__testUtils__/previousReads';
import {
  API,
  describeOnSeededEngines,
  ENTITIES,
  RANGES,
} from './__testUtils__/readHistory';

jest.setTimeout(60_000);

describe('errorGroupPage', () => {
  describeOnSeededEngines(seeded => {
    it.each(RANGES)(
      'returns the groups, counts and sparklines the store returned ($name)',
      async range => {
        const { knex, readModel } = seeded();
        for (const entityRef of ENTITIES) {
          for (const limit of [1, 2, 50]) {
            expect(
              await readModel.errorGroupPage(entityRef, { ...range, limit }),
            ).toEqual(
              await previousErrorGroups(knex, entityRef, { ...range, limit }),
            );
          }
        }
      },
    );

    it('ranks the entity’s groups by events in the window, with a sparkline of 24 slices', async () => {
      const { readModel } = seeded();
      const [week] = RANGES.filter(r => r.name === '7d by hour');
      const page = await readModel.errorGroupPage(API, { ...week, limit: 50 });
      expect(page.map(g => [g.fingerprint, g.count, g.isNew])).toEqual([
        ['steady', 14, false],
        ['this-week', 9, true],
        ['today', 5, true],
        ['regressed', 3, false],
      ]);
      expect(page.map(g => g.isRegressed)).toEqual([false, false, false, true]);
      for (const group of page) {
        expect(group.sparkline).toHaveLength(24);
        expect(group.sparkline.reduce((a, b) => a + b, 0)).toBe(group.count);
      }
    });
  });
});
