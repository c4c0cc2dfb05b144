import { previousTimelineChanges } from './__testUtils__/previousTimeline';
import {
  API,
  describeOnSeededEngines,
  ENTITIES,
  RANGES,
} from './__testUtils__/readHistory';
import { timelineChangesSql } from './timelineChanges';
import { asItems, sortById } from './__testUtils__/timelineRows';

jest.setTimeout(60_000);

describe('timelineChanges', () => {
  describeOnSeededEngines(seeded => {
    it.each(RANGES)(
      "returns the items the timeline made of the store's list ($name)",
      async range => {
        const { knex } = seeded();
        for (const entityRef of ENTITIES) {
          const items = await asItems(
            knex,
            timelineChangesSql(entityRef, range),
          );
          expect(sortById(items)).toEqual(
            sortById(await previousTimelineChanges(knex, entityRef, range)),
          );
        }
      },
    );

    it('keeps to the window', async () => {
      const { knex } = seeded();
      const [week] = RANGES.filter(r => r.name === '7d by hour');
      const items = await asItems(knex, timelineChangesSql(API, week));
      // Not the commits, nor the deployments ten and forty days ago.
      expect(items.map(i => i.type).sort()).toEqual([
        'change',
        'deployment',
        'deployment',
        'pull_request',
        'release',
      ]);
    });
  });
});
