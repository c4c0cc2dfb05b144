import { previousChangeEvents } from './__testUtils__/previousReads';
import {
  API,
  describeOnSeededEngines,
  ENTITIES,
  RANGES,
} from './__testUtils__/readHistory';

jest.setTimeout(60_000);

describe('deploymentCount', () => {
  describeOnSeededEngines(seeded => {
    it.each(RANGES)(
      'counts the deployments the change list returned ($name)',
      async range => {
        const { knex, readModel } = seeded();
        for (const entityRef of ENTITIES) {
          const deployments = await previousChangeEvents(knex, entityRef, {
            ...range,
            kinds: ['deployment'],
          });
          expect(await readModel.deploymentCount(entityRef, range)).toBe(
            deployments.length,
          );
        }
      },
    );

    it('counts deployments only, not the other kinds of change', async () => {
      const { readModel } = seeded();
      const [week] = RANGES.filter(r => r.name === '7d by hour');
      expect(await readModel.deploymentCount(API, week)).toBe(2);
    });
  });
});
