import { previousTimelineErrorGroups } from './__testUtils__/previousTimeline';
import {
  API,
  describeOnSeededEngines,
  ENTITIES,
  RANGES,
} from './__testUtils__/readHistory';
import { timelineErrorGroupsSql } from './timelineErrorGroups';
import { asItems, sortById } from './__testUtils__/timelineRows';

jest.setTimeout(60_000);

describe('timelineErrorGroups', () => {
  describeOnSeededEngines(seeded => {
    it.each(RANGES)(
      "returns the items the timeline made of the store's list ($name)",
      async range => {
        const { knex } = seeded();
        for (const entityRef of ENTITIES) {
          const items = await asItems(
            knex,
            timelineErrorGroupsSql(entityRef, range),
          );
          expect(sortById(items)).toEqual(
            sortById(await previousTimelineErrorGroups(knex, entityRef, range)),
          );
        }
      },
    );

    it('keeps to the window', async () => {
      const { knex } = seeded();
      const [week] = RANGES.filter(r => r.name === '7d by hour');
      const items = await asItems(knex, timelineErrorGroupsSql(API, week));
      expect(items.map(i => i.title).sort()).toEqual([
        'New: Error this-week',
        'New: Error today',
        'Regressed: Error regressed',
      ]);
    });
  });
});
