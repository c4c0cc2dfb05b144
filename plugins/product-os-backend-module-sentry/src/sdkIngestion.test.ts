import { TestDatabases } from '@backstage/backend-test-utils';
import {
  defaultStackParser,
  makeNodeTransport,
  NodeClient,
  Scope,
} from '@sentry/node';
import {
  PROJECTS,
  SentryBackend,
  startSentryBackend,
} from './__testUtils__/sentryBackend';

jest.setTimeout(60_000);

/** A service's Sentry SDK, pointed at the test backend. */
function sentrySdk(
  backend: SentryBackend,
  project: { id: string; publicKey: string },
) {
  const client = new NodeClient({
    dsn: backend.dsn(project),
    transport: makeNodeTransport,
    stackParser: defaultStackParser,
    integrations: [],
    release: 'checkout-api@2.14.0',
    environment: 'production',
  });
  client.init();
  const scope = new Scope();
  scope.setClient(client);
  return { client, scope };
}

// Realistic application code, so the SDK sees in-app frames of its own.
function readCardNumber(card: { last4?: string } | undefined) {
  return card!.last4;
}
function chargeCard(orderId: number) {
  if (orderId % 2 === 0) readCardNumber(undefined);
  throw new RangeError(`Amount for order ${orderId} exceeds the limit of 5000`);
}
function capture(scope: Scope, fn: () => void) {
  try {
    fn();
  } catch (error) {
    scope.captureException(error);
  }
}

describe('SDK ingestion through @sentry/node', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let backend: SentryBackend;

    beforeAll(async () => {
      backend = await startSentryBackend({
        knex: await databases.init(databaseId),
      });
    });

    afterAll(async () => {
      await backend.backend.stop();
    });

    it('groups exceptions by type, normalized message and in-app frames', async () => {
      const { client, scope } = sentrySdk(backend, PROJECTS.checkout);
      scope.setUser({ id: 'user-8812', email: 'jane@example.com' });
      // Three RangeErrors that differ only in the order number, two TypeErrors.
      for (const orderId of [1, 3, 5, 2, 4])
        capture(scope, () => chargeCard(orderId));
      await expect(client.flush(10_000)).resolves.toBe(true);

      const groups = await backend.errorGroups('checkout-api');
      // A group's title is its latest event's.
      expect(groups.map(group => [group.title, group.count])).toEqual([
        [
          expect.stringMatching(
            /^RangeError: Amount for order [135] exceeds the limit of 5000$/,
          ),
          3,
        ],
        ["TypeError: Cannot read properties of undefined (reading 'last4')", 2],
      ]);

      const [rangeError, typeError] = groups;
      expect(rangeError).toMatchObject({
        source: 'sentry',
        level: 'error',
        status: 'unresolved',
        firstRelease: 'checkout-api@2.14.0',
        isNew: true,
      });
      expect(rangeError.sparkline.reduce((sum, n) => sum + n, 0)).toBe(3);
      // Most recent call first; the test's own file is in-app, Jest's frames are not.
      expect(rangeError.topFrames[0]).toEqual({
        filename: __filename,
        function: 'chargeCard',
        lineno: expect.any(Number),
        inApp: true,
      });
      // Most recent call first. (Jest's source maps may add a frame named after the property.)
      const functions = typeError.topFrames.map(frame => frame.function);
      expect(functions.indexOf('readCardNumber')).toBeGreaterThanOrEqual(0);
      expect(functions.indexOf('readCardNumber')).toBeLessThan(
        functions.indexOf('chargeCard'),
      );
      expect(typeError.topFrames.every(frame => frame.inApp)).toBe(true);
      expect(rangeError.culprit).toBe(`chargeCard(${__filename})`);
      await client.close();
    });

    it('maps a project claimed as organization/slug, and groups by SDK fingerprints', async () => {
      const { client, scope } = sentrySdk(backend, PROJECTS.billing);
      // Two different errors that the service says are one problem.
      scope.setFingerprint(['invoice-renderer']);
      capture(scope, () => {
        throw new Error('Template invoice.hbs failed');
      });
      capture(scope, () => {
        throw new RangeError('PDF engine ran out of pages');
      });
      // The default grouping, split by region.
      scope.setFingerprint(['{{ default }}', 'eu-west-1']);
      capture(scope, () => {
        throw new Error('Template invoice.hbs failed');
      });
      await client.flush(10_000);

      const groups = await backend.errorGroups('billing-service');
      expect(groups.map(group => [group.title, group.count])).toEqual([
        [
          expect.stringMatching(
            /^(Error: Template invoice.hbs failed|RangeError: PDF engine ran out of pages)$/,
          ),
          2,
        ],
        ['Error: Template invoice.hbs failed', 1],
      ]);
      // The other project's groups are its own.
      expect(await backend.errorGroups('checkout-api')).toHaveLength(2);
      await client.close();
    });

    it('accepts attachments, check-ins, sessions and client reports, counting each type', async () => {
      const { client, scope } = sentrySdk(backend, PROJECTS.checkout);
      scope.addAttachment({
        filename: 'cart.json',
        data: '{"items":[1,2,\n3]}\n',
      });
      capture(scope, () => chargeCard(7));
      client.captureCheckIn({ monitorSlug: 'nightly-reconcile', status: 'ok' });
      client.sendEnvelope([
        { sent_at: new Date().toISOString() },
        [
          [
            { type: 'session' },
            { sid: '8f1d', status: 'ok', started: new Date().toISOString() },
          ],
          [
            { type: 'client_report' },
            { timestamp: Date.now() / 1000, discarded_events: [] },
          ],
        ],
      ] as any);
      await client.flush(10_000);

      const groups = await backend.errorGroups('checkout-api');
      expect(
        groups.find(group => group.title.startsWith('RangeError'))?.count,
      ).toBe(4);
      const items = backend.counted('product_os.sentry.envelope_items');
      const total = (type: string) =>
        items
          .filter(([, a]) => a.type === type)
          .reduce((sum, [n]) => sum + n, 0);
      expect(total('attachment')).toBe(1);
      expect(total('check_in')).toBe(1);
      expect(total('session')).toBe(1);
      expect(total('client_report')).toBe(1);
      // 5 and 3 events from the tests before, and this one.
      expect(total('event')).toBe(9);
      await client.close();
    });

    it('accepts events of a project no entity claims and counts them as unmapped', async () => {
      const { client, scope } = sentrySdk(backend, PROJECTS.orphan);
      capture(scope, () => chargeCard(9));
      await expect(client.flush(10_000)).resolves.toBe(true);

      const unmapped = backend.counted('product_os.sentry.error_events');
      expect(unmapped).toContainEqual([1, { outcome: 'unmapped' }]);
      await client.close();
    });
  });
});
