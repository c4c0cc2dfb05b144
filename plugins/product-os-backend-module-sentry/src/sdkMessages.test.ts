import { TestDatabases } from '@backstage/backend-test-utils';
import {
  defaultStackParser,
  makeNodeTransport,
  NodeClient,
  parameterize,
  Scope,
} from '@sentry/node';
import type { Knex } from 'knex';
import {
  PROJECTS,
  SentryBackend,
  startSentryBackend,
} from './__testUtils__/sentryBackend';

jest.setTimeout(60_000);

const HOUR = 3_600_000;

function sentrySdk(backend: SentryBackend) {
  const client = new NodeClient({
    dsn: backend.dsn(PROJECTS.checkout),
    transport: makeNodeTransport,
    stackParser: defaultStackParser,
    integrations: [],
    release: 'checkout-api@2.16.0',
    environment: 'production',
  });
  client.init();
  const scope = new Scope();
  scope.setClient(client);
  return { client, scope };
}

describe('messages and clocks of @sentry/node events', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let knex: Knex;
    let backend: SentryBackend;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      backend = await startSentryBackend({ knex });
    });

    afterAll(async () => {
      await backend.backend.stop();
    });

    it('shows a parameterized message formatted, and groups it by its template', async () => {
      const { client, scope } = sentrySdk(backend);
      for (const orderId of ['A-100', 'B-200']) {
        const amount = 5000;
        scope.captureMessage(
          parameterize`Order ${orderId} exceeds the limit of ${amount}`,
          'warning',
        );
      }
      await expect(client.flush(10_000)).resolves.toBe(true);

      const groups = (await backend.errorGroups('checkout-api')).filter(g =>
        g.title.startsWith('Order '),
      );
      // One group (the template), titled with the latest formatted message.
      expect(groups).toHaveLength(1);
      expect(groups[0].count).toBe(2);
      expect(groups[0].title).toMatch(
        /^Order (A-100|B-200) exceeds the limit of 5000$/,
      );
      const samples = await knex('error_events').where({
        group_id: knex('error_groups')
          .select('id')
          .where({ title: groups[0].title })
          .first(),
      });
      expect(
        samples.map(row => JSON.parse(row.payload).message).sort(),
      ).toEqual([
        'Order A-100 exceeds the limit of 5000',
        'Order B-200 exceeds the limit of 5000',
      ]);
      await client.close();
    });

    it('corrects the event time of a client whose clock is hours behind, by the envelope’s sent_at', async () => {
      const { client } = sentrySdk(backend);
      const skew = 3 * HOUR;
      const clientNow = Date.now() - skew;
      const event = await client.eventFromException(
        new Error('Ledger write failed on a skewed host'),
      );
      event.event_id = 'c0ffee00c0ffee00c0ffee00c0ffee00';
      event.timestamp = (clientNow - 2_000) / 1000;
      event.release = 'checkout-api@2.16.0';
      client.sendEnvelope([
        {
          event_id: event.event_id,
          sent_at: new Date(clientNow).toISOString(),
        },
        [[{ type: 'event' }, event]],
      ] as any);
      const before = Date.now();
      await expect(client.flush(10_000)).resolves.toBe(true);

      const [row] = await knex('error_events').where({
        event_id: event.event_id,
      });
      // Two seconds before it was sent, on our clock; not three hours ago.
      expect(Number(row.timestamp)).toBeGreaterThan(before - skew / 2);
      expect(Number(row.timestamp)).toBeLessThanOrEqual(Date.now());
      expect(JSON.parse(row.payload)._meta).toEqual({
        timestamp: 'clock_drift',
      });
      await client.close();
    });
  });
});
