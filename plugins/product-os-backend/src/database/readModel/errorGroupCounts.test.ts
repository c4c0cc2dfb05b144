import type { Knex } from 'knex';
import type { TimeRange } from '../TimeRange';
import { previousErrorGroups } from './__testUtils__/previousReads';
import {
  API,
  describeOnSeededEngines,
  ENTITIES,
  RANGES,
} from './__testUtils__/readHistory';

import { errorGroupCountsSql, toErrorGroupCounts } from './errorGroupCounts';
import { readRows } from './statement';

jest.setTimeout(60_000);

async function counts(knex: Knex, entityRef: string, range: TimeRange) {
  const [row] = await readRows(knex, errorGroupCountsSql(entityRef, range));
  return toErrorGroupCounts(row);
}

describe('errorGroupCounts', () => {
  describeOnSeededEngines(seeded => {
    it.each(RANGES)(
      'counts the groups, and the new ones, the overview counted from the page of groups ($name)',
      async range => {
        const { knex } = seeded();
        for (const entityRef of ENTITIES) {
          const groups = await previousErrorGroups(knex, entityRef, {
            ...range,
            limit: 500,
          });
          expect(await counts(knex, entityRef, range)).toEqual({
            groups: groups.length,
            newGroups: groups.filter(g => g.isNew).length,
          });
        }
      },
    );

    it('counts a group with events in the window, new when first seen in it', async () => {
      const { knex } = seeded();
      const [day] = RANGES.filter(r => r.name === '24h by hour');
      // steady and today; the others had nothing in the last day.
      expect(await counts(knex, API, day)).toEqual({
        groups: 2,
        newGroups: 1,
      });
    });
  });
});
