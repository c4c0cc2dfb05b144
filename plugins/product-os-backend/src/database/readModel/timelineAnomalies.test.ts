import type { Knex } from 'knex';
import type { Row } from '../rowValues';
import { previousTimelineAnomalies } from './__testUtils__/previousTimeline';
import {
  API,
  describeOnSeededEngines,
  ENTITIES,
  RANGES,
} from './__testUtils__/readHistory';
import { timelineAnomaliesQuery } from './timelineAnomalies';
import { toTimelineItem } from './timelineItems';

jest.setTimeout(60_000);

describe('timelineAnomalies', () => {
  describeOnSeededEngines(seeded => {
    it.each(RANGES)(
      "returns the items the timeline made of the store's list ($name)",
      async range => {
        const { knex } = seeded();
        for (const entityRef of ENTITIES) {
          const items = await asItems(
            timelineAnomaliesQuery(knex, entityRef, range),
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
      const items = await asItems(timelineAnomaliesQuery(knex, API, week));
      expect(items).toHaveLength(2);
    });
  });
});

async function asItems(query: Knex.QueryBuilder) {
  const rows: Row[] = await query;
  return rows.map(toTimelineItem);
}

/** The timeline orders items by time and kind; within one list only the set is compared. */
function sortById<T extends { id: number }>(items: T[]): T[] {
  return [...items].sort((a, b) => a.id - b.id);
}
