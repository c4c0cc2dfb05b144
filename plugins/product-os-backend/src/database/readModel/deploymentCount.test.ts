import type { Knex } from 'knex';
import { num } from '../rowValues';
import type { TimeRange } from '../TimeRange';
import { previousChangeEvents } from './__testUtils__/previousReads';
import {
  API,
  describeOnSeededEngines,
  ENTITIES,
  RANGES,
} from './__testUtils__/readHistory';

import { deploymentCountSql } from './deploymentCount';
import { readRows } from './statement';

jest.setTimeout(60_000);

async function deployments(knex: Knex, entityRef: string, range: TimeRange) {
  const [row] = await readRows(knex, deploymentCountSql(entityRef, range));
  return num(row.deployments);
}

describe('deploymentCount', () => {
  describeOnSeededEngines(seeded => {
    it.each(RANGES)(
      'counts the deployments the change list returned ($name)',
      async range => {
        const { knex } = seeded();
        for (const entityRef of ENTITIES) {
          const listed = await previousChangeEvents(knex, entityRef, {
            ...range,
            kinds: ['deployment'],
          });
          expect(await deployments(knex, entityRef, range)).toBe(listed.length);
        }
      },
    );

    it('counts deployments only, not the other kinds of change', async () => {
      const { knex } = seeded();
      const [week] = RANGES.filter(r => r.name === '7d by hour');
      expect(await deployments(knex, API, week)).toBe(2);
    });
  });
});
