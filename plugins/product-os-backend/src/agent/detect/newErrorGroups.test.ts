import { Knex } from 'knex';
import { readAgentConfig } from '../../config';
import { emptyDatabase } from '../../__testUtils__/emptyDatabase';
import {
  ENTITY,
  eventId,
  sentryEvent,
  storeTestDatabases,
  testStores,
  T0,
} from '../../database/__testUtils__/storeFixtures';
import type { ProductOsStores } from '../../database/createProductOsStores';
import type { EntityContext } from '../types';
import { detectSignals } from './detectAnomalies';

jest.setTimeout(60_000);

const SECOND = 1000;
const MINUTE = 60 * SECOND;
// 14:20:00 on the fixtures' day; nothing before it, so each group is new.
const FIRST = T0 + 14 * 60 * MINUTE + 20 * MINUTE;
const config = readAgentConfig();
const entity: EntityContext = {
  entityRef: ENTITY,
  name: 'checkout-api',
  dependsOn: [],
  keyMetrics: [],
};

/**
 * The early rule for new error groups (`newGroupEarly`: 5 events within 120 s of the first,
 * the first and last of them at least 3 s apart) against the stored events, with the clock
 * given: each case is counted by hand in its comment.
 */
describe('new error groups judged by how fast their first events came', () => {
  const databases = storeTestDatabases();

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    let knex: Knex;
    let stores: ProductOsStores;
    let nextId = 0;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
    });

    beforeEach(async () => {
      stores = await testStores(knex);
      await emptyDatabase(knex);
    });

    /** Events of one new group at the given offsets from FIRST. */
    async function record(fingerprint: string, offsetsMs: number[]) {
      await stores.ingest.ingest({ source: 'sentry' }, writer =>
        writer.recordErrorEvents(
          offsetsMs.map(offset =>
            sentryEvent({
              eventId: eventId((nextId += 1)),
              timestamp: FIRST + offset,
              fingerprint,
            }),
          ),
        ),
      );
    }

    const newGroups = async (now: number) =>
      (await detectSignals(stores, entity, now, config)).filter(
        s => s.kind === 'new_error_group',
      );

    it('counts five events a second apart once the fifth is in, at the first', async () => {
      // At 0, 1, 2, 3 and 4 s: five within 120 s, spanning 4 s.
      await record(
        'one-a-second',
        [0, 1, 2, 3, 4].map(s => s * SECOND),
      );
      // At 3.5 s only four of them had happened: not yet.
      expect(await newGroups(FIRST + 3.5 * SECOND)).toEqual([]);
      expect(await newGroups(FIRST + 4.5 * SECOND)).toEqual([
        expect.objectContaining({
          kind: 'new_error_group',
          onsetAt: FIRST,
          onsetUncertaintyMs: 0,
          description: expect.stringContaining('(5 events)'),
        }),
      ]);
    });

    it('counts a span of exactly the minimum, and not one just short of it', async () => {
      // First to last 3 s: counts. First to last 2.999 s: one moment too short.
      await record('three-seconds', [0, 500, 1000, 2000, 3000]);
      await record('just-short', [0, 500, 1000, 2000, 2999]);
      const signals = await newGroups(FIRST + 10 * SECOND);
      expect(signals).toHaveLength(1);
      expect(signals[0].description).toContain('since');
      const [group] = await stores.errors.getErrorGroupRecords(ENTITY, {
        ids: signals[0].groups!.map(g => g.id),
      });
      expect(group.fingerprint).toBe('three-seconds');
    });

    it('does not count one burst, until the group has the ten events that count in any case', async () => {
      // Five retries within 400 ms: five events, but one moment.
      await record('burst', [0, 100, 200, 300, 400]);
      expect(await newGroups(FIRST + 10 * MINUTE)).toEqual([]);
      // Five more half an hour later: ten within two hours of the first.
      await record(
        'burst',
        [0, 1, 2, 3, 4].map(s => 30 * MINUTE + s * SECOND),
      );
      expect(await newGroups(FIRST + 31 * MINUTE)).toEqual([
        expect.objectContaining({
          onsetAt: FIRST,
          description: expect.stringContaining('(10 events)'),
        }),
      ]);
    });

    it('does not count five events spread over minutes: only three came within 120 s', async () => {
      // Every 45 s from the first: 0, 45 and 90 s are within 120 s; 135 and 180 s are not.
      await record(
        'every-45-s',
        [0, 45, 90, 135, 180].map(s => s * SECOND),
      );
      expect(await newGroups(FIRST + 5 * MINUTE)).toEqual([]);
    });

    it('does not count events that have not happened yet by the clock it is given', async () => {
      // Five a second apart, judged at 2.5 s: three have happened.
      await record(
        'replayed',
        [0, 1, 2, 3, 4].map(s => s * SECOND),
      );
      expect(await newGroups(FIRST + 2.5 * SECOND)).toEqual([]);
    });
  });
});
