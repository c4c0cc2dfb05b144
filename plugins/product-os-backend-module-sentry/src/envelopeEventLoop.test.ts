import { TestDatabases } from '@backstage/backend-test-utils';
import { randomUUID } from 'crypto';
import type { Knex } from 'knex';
import request from 'supertest';
import * as zlib from 'zlib';
import {
  PROJECTS,
  SentryBackend,
  startSentryBackend,
} from './__testUtils__/sentryBackend';
import { MAX_EVENT_BYTES } from './events/bounds';

jest.setTimeout(120_000);

const { checkout } = PROJECTS;
const ENVELOPE_PATH = `/api/product-os/sentry/api/${checkout.id}/envelope/?sentry_key=${checkout.publicKey}&sentry_version=7`;

/** Statements that write error events. */
const ERROR_STATEMENT =
  /^(insert into|update|delete from) .(error_event_ids|error_groups|error_users|error_buckets|error_events)./i;

/** An error event like the benchmark's: 30 frames and 20 breadcrumbs. */
function errorEvent(i: number) {
  return {
    event_id: randomUUID().replace(/-/g, ''),
    timestamp: Date.now() / 1000,
    platform: 'node',
    level: 'error',
    release: 'checkout-api@2.15.0',
    exception: {
      values: [
        {
          type: `Error${i % 50}`,
          value: `Failure in step ${i}`,
          stacktrace: {
            frames: Array.from({ length: 30 }, (_, f) => ({
              filename: `/srv/app/src/module${(i + f) % 97}.js`,
              function: `step${(i * 7 + f) % 113}`,
              lineno: f + 1,
              in_app: f > 20,
            })),
          },
        },
      ],
    },
    breadcrumbs: Array.from({ length: 20 }, (_, b) => ({
      message: `breadcrumb ${b} of ${i}`,
      category: 'console',
    })),
    user: { id: `user-${i}` },
  };
}

function envelopeOf(payloads: string[]): Buffer {
  return Buffer.from(
    [
      JSON.stringify({ sent_at: new Date().toISOString() }),
      ...payloads.flatMap(payload => [
        JSON.stringify({ type: 'event', length: Buffer.byteLength(payload) }),
        payload,
      ]),
    ].join('\n'),
  );
}

describe('a large envelope and the event loop', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    let knex: Knex;
    let backend: SentryBackend;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      backend = await startSentryBackend({ knex });
    });

    afterAll(async () => {
      await backend?.backend.stop();
    });

    const post = (body: Buffer) =>
      request(backend.server)
        .post(ENVELOPE_PATH)
        .set('Content-Type', 'application/x-sentry-envelope')
        .set('Content-Encoding', 'gzip')
        .send(zlib.gzipSync(body));

    it('stores an envelope of 1,000 events in bounded steps, each error statement in a turn of its own', async () => {
      const events = Array.from({ length: 1000 }, (_, i) => errorEvent(i));
      const body = envelopeOf(events.map(event => JSON.stringify(event)));

      // Counts the macrotask turns other requests get, and notes the turn each error-event
      // statement runs in. SQLite's driver is synchronous: statements that follow each other
      // without a turn between hold the loop for all of them (100 events' worth at a time).
      let turns = 0;
      let delivering = true;
      const turn = () => {
        if (!delivering) return;
        turns += 1;
        setImmediate(turn);
      };
      const statementTurns: number[] = [];
      const onQuery = (query: { sql: string }) => {
        if (ERROR_STATEMENT.test(query.sql)) statementTurns.push(turns);
      };
      knex.on('query', onQuery);
      setImmediate(turn);
      try {
        const res = await post(body);
        expect(res.status).toBe(200);
      } finally {
        delivering = false;
        knex.off('query', onQuery);
      }

      // Every event item was parsed in a turn of its own, and so was every statement.
      expect(turns).toBeGreaterThanOrEqual(1000 + statementTurns.length);
      expect(statementTurns.length).toBeGreaterThanOrEqual(50);
      expect(new Set(statementTurns).size).toBe(statementTurns.length);

      // Every event stored and counted once.
      const ids = await knex('error_event_ids').whereIn(
        'event_id',
        events.map(event => event.event_id),
      );
      expect(ids).toHaveLength(1000);
      const [{ counted }] = await knex('error_groups').sum({
        counted: 'event_count',
      });
      expect(Number(counted)).toBe(1000);
      const [{ bucketed }] = await knex('error_buckets').sum({
        bucketed: 'count',
      });
      expect(Number(bucketed)).toBe(1000);
    });

    it('refuses an event item over 1 MiB with 413, as Sentry does, and stores nothing of the envelope', async () => {
      const small = errorEvent(1);
      const large = JSON.stringify({
        ...errorEvent(2),
        extra: { blob: 'x'.repeat(MAX_EVENT_BYTES) },
      });
      const res = await post(envelopeOf([JSON.stringify(small), large]));
      expect(res.status).toBe(413);
      expect(res.body.error.message).toMatch(
        /Item 2 \(event\) is \d+ bytes; an event may be at most 1048576 bytes/,
      );
      expect(
        await knex('error_event_ids').where({ event_id: small.event_id }),
      ).toHaveLength(0);

      // The legacy store endpoint reads one event: the same bound.
      const store = await request(backend.server)
        .post(
          `/api/product-os/sentry/api/${checkout.id}/store/?sentry_key=${checkout.publicKey}`,
        )
        .set('Content-Type', 'application/json')
        .send(large);
      expect(store.status).toBe(413);
    });

    it('answers a large event item that is not JSON with the 400 of a small one (it is read on a worker thread)', async () => {
      const broken = `{"event_id":"${'a'.repeat(32)}","extra":"${'x'.repeat(
        200_000,
      )}"`;
      const res = await post(envelopeOf([broken]));
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('InputError');
      expect(res.body.error.message).toMatch(
        /^Item 1 \(event\) is not valid JSON: /,
      );
    });

    it('still takes an event item of just under 1 MiB', async () => {
      const event = errorEvent(3);
      const payload = JSON.stringify({
        ...event,
        extra: { blob: 'x'.repeat(MAX_EVENT_BYTES - 10_000) },
      });
      expect(Buffer.byteLength(payload)).toBeLessThanOrEqual(MAX_EVENT_BYTES);
      const res = await post(envelopeOf([payload]));
      expect(res.status).toBe(200);
      expect(
        await knex('error_event_ids').where({ event_id: event.event_id }),
      ).toHaveLength(1);
    });
  });
});
