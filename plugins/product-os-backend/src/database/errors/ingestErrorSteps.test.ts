import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type { ErrorEventInput } from '@internal/plugin-product-os-node';
import { Knex } from 'knex';
import { emptyDatabase } from '../../__testUtils__/emptyDatabase';
import {
  createProductOsStores,
  ProductOsStores,
} from '../createProductOsStores';

jest.setTimeout(60_000);

const ENTITY = 'component:default/checkout-api';
/** 2026-11-20T00:00:00Z. */
const T0 = Date.UTC(2026, 10, 20);

/** Statements that write error events, by the table they write. */
const ERROR_STATEMENT =
  /^(insert into|update|delete from) .(error_event_ids|error_groups|error_users|error_buckets|error_events)./i;

/** Counts the macrotask turns the event loop gives others until `stop` is called. */
function turnCounter() {
  let turns = 0;
  let running = true;
  const turn = () => {
    if (!running) return;
    turns += 1;
    setImmediate(turn);
  };
  setImmediate(turn);
  return {
    get turns() {
      return turns;
    },
    stop() {
      running = false;
    },
  };
}

function errorEvent(i: number, payloadChars = 200): ErrorEventInput {
  return {
    entityRef: ENTITY,
    source: 'sentry',
    // 50 groups of 20 events each.
    fingerprint: `group-${i % 50}`,
    eventId: `event-${i}`,
    title: `Error${i % 50}: failure ${i}`,
    level: 'error',
    timestamp: T0 + i * 1000,
    release: 'checkout-api@2.15.0',
    environment: 'production',
    userKey: `user-${i}`,
    topFrames: [{ filename: 'src/a.ts', function: `f${i}`, inApp: true }],
    payload: { event_id: `event-${i}`, message: 'x'.repeat(payloadChars) },
  };
}

describe('IngestTransaction', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    let knex: Knex;
    let stores: ProductOsStores;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
    });

    beforeEach(async () => {
      stores = await createProductOsStores({
        database: mockServices.database({ knex }),
        sampleSize: 5,
      });
      await emptyDatabase(knex);
    });

    /** Records `events` in one call, noting the turn and row count of each error statement. */
    async function recordNotingTurns(events: ErrorEventInput[]) {
      const statements: { turn: number; sql: string; bindings: number }[] = [];
      const counter = turnCounter();
      const onQuery = (query: { sql: string; bindings?: unknown[] }) => {
        if (ERROR_STATEMENT.test(query.sql)) {
          statements.push({
            turn: counter.turns,
            sql: query.sql,
            bindings: query.bindings?.length ?? 0,
          });
        }
      };
      knex.on('query', onQuery);
      try {
        const { result } = await stores.ingest.ingest(
          { source: 'sentry' },
          writer => writer.recordErrorEvents(events),
        );
        return { result, statements, turns: counter.turns };
      } finally {
        counter.stop();
        knex.off('query', onQuery);
      }
    }

    it('fits and writes 1,000 error events in bounded steps, giving the event loop a turn between them', async () => {
      // SQLite's driver is synchronous: fitting 1,000 events and writing them in one statement
      // per step held the loop for all of it.
      const events = Array.from({ length: 1000 }, (_, i) => errorEvent(i));
      const { result, statements } = await recordNotingTurns(events);

      expect(result).toEqual(
        expect.objectContaining({ stored: 1000, duplicates: 0 }),
      );
      expect(result!.newGroups).toHaveLength(50);
      // Fitting came in slices (25 events each), with a turn between them, before any statement.
      expect(statements[0].turn).toBeGreaterThanOrEqual(39);
      // Every statement ran in a turn of its own.
      const turns = statements.map(statement => statement.turn);
      expect(new Set(turns).size).toBe(turns.length);
      // 1,000 ids and users in statements of at most 100 rows (3 values each).
      const idStatements = statements.filter(s =>
        /^insert into .error_event_ids./i.test(s.sql),
      );
      expect(idStatements).toHaveLength(10);
      for (const statement of statements.filter(s =>
        /^insert into .(error_event_ids|error_users)./i.test(s.sql),
      ))
        expect(statement.bindings).toBeLessThanOrEqual(300);

      // The same rows as ever: every event counted, 5 kept per group.
      const [{ count }] = await knex('error_events').count({ count: '*' });
      expect(Number(count)).toBe(250);
      const groups = await knex('error_groups').select('event_count');
      expect(groups).toHaveLength(50);
      expect(groups.every(group => Number(group.event_count) === 20)).toBe(
        true,
      );
      const [{ total }] = await knex('error_buckets').sum({ total: 'count' });
      expect(Number(total)).toBe(1000);
    });

    it('writes large sample payloads a bounded number of characters per statement', async () => {
      // 12 groups of one event each, every payload 200,000 characters: all 12 are sampled, in
      // statements of at most 1 MiB of JSON (5 payloads), each in a turn of its own.
      const events = Array.from({ length: 12 }, (_, i) => ({
        ...errorEvent(i, 200_000),
        fingerprint: `large-${i}`,
      }));
      const { statements } = await recordNotingTurns(events);
      const sampleStatements = statements.filter(s =>
        /^insert into .error_events./i.test(s.sql),
      );
      expect(sampleStatements).toHaveLength(3);
      const turns = statements.map(statement => statement.turn);
      expect(new Set(turns).size).toBe(turns.length);
      const [{ count }] = await knex('error_events').count({ count: '*' });
      expect(Number(count)).toBe(12);
    });
  });
});
