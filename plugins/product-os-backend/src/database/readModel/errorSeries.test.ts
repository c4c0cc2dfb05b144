import { previousErrorSeries } from './__testUtils__/previousReads';
import {
  API,
  describeOnSeededEngines,
  ENTITIES,
  PAYMENTS,
  RANGES,
} from './__testUtils__/readHistory';

jest.setTimeout(60_000);

describe('errorSeries', () => {
  describeOnSeededEngines(seeded => {
    it.each(RANGES)(
      'returns the points the store returned ($name)',
      async range => {
        const { knex, readModel } = seeded();
        for (const entityRef of ENTITIES) {
          expect(await readModel.errorSeries(entityRef, range)).toEqual(
            await previousErrorSeries(knex, entityRef, range),
          );
        }
      },
    );

    it('has a point for every bucket, zero where nothing happened, adding up to the groups’ counts', async () => {
      const { readModel } = seeded();
      const [month] = RANGES.filter(r => r.name === '30d by day');
      const points = await readModel.errorSeries(API, month);
      expect(points).toHaveLength(30);
      expect(points[0].time).toBe(new Date(month.from).toISOString());
      const groups = await readModel.errorGroupPage(API, {
        ...month,
        limit: 50,
      });
      expect(points.reduce((sum, p) => sum + p.value, 0)).toBe(
        groups.reduce((sum, g) => sum + g.count, 0),
      );
      const [day] = RANGES.filter(r => r.name === '24h by hour');
      const hours = await readModel.errorSeries(PAYMENTS, day);
      expect(hours).toHaveLength(24);
      expect(hours.filter(p => p.value === 0).length).toBeGreaterThan(0);
    });
  });
});
