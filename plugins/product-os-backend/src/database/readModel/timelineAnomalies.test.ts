import { previousTimelineAnomalies } from './__testUtils__/previousTimeline';
import {
  API,
  describeOnSeededEngines,
  ENTITIES,
  RANGES,
} from './__testUtils__/readHistory';
import { timelineAnomaliesSql } from './timelineAnomalies';
import { asItems, sortById } from './__testUtils__/timelineRows';

jest.setTimeout(60_000);

describe('timelineAnomalies', () => {
  describeOnSeededEngines(seeded => {
    it.each(RANGES)(
      "returns the items the timeline made of the store's list ($name)",
      async range => {
        const { knex } = seeded();
        for (const entityRef of ENTITIES) {
          const items = await asItems(
            knex,
            timelineAnomaliesSql(entityRef, range),
          );
          expect(sortById(items)).toEqual(
            sortById(await previousTimelineAnomalies(knex, entityRef, range)),
          );
        }
      },
    );

    it('keeps to the window', async () => {
      const { knex } = seeded();
      const [week] = RANGES.filter(r => r.name === '7d by hour');
      const items = await asItems(knex, timelineAnomaliesSql(API, week));
      expect(items).toHaveLength(2);
    });
  });
});
