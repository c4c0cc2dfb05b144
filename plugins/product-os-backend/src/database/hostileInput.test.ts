import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type {
  ErrorEventInput,
  IngestWriter,
} from '@internal/plugin-product-os-node';
import { Knex } from 'knex';
import { JSON_MAX_DEPTH, TEXT_MAX_CHARS } from './columns';
import {
  createProductOsStores,
  ProductOsStores,
} from './createProductOsStores';

jest.setTimeout(60_000);

/*
 * Values PostgreSQL refuses and SQLite keeps (a NUL, a string longer than its varchar, an
 * integer outside its type, a document nested past the stack): every one is either fitted the
 * same way on both engines or refused with a 400 on both, never a 500 on one of them.
 */

const T0 = Date.UTC(2026, 10, 20, 10);
const ENTITY = 'component:default/checkout-api';
const LONG = 'x'.repeat(300);

function errorEvent(overrides: Partial<ErrorEventInput>): ErrorEventInput {
  return {
    entityRef: ENTITY,
    source: 'sentry',
    fingerprint: 'cart-total',
    eventId: 'e1',
    title: 'TypeError',
    level: 'error',
    timestamp: T0,
    topFrames: [],
    ...overrides,
  };
}

function nested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = { next: value };
  return value;
}

/** Every row a delivery can write, without generated ids, in a stable order. */
async function dump(knex: Knex) {
  const tables: Record<string, string[]> = {
    error_groups: ['fingerprint'],
    error_events: ['event_id'],
    error_event_ids: ['event_id'],
    error_users: ['user_key'],
    change_events: ['external_id'],
    incidents: ['external_id'],
    incident_events: ['external_id'],
    metric_points: ['metric'],
    metric_users: ['user_key'],
    deliveries: ['delivery_id'],
    unmapped_deliveries: ['key'],
  };
  const result: Record<string, unknown[]> = {};
  for (const [table, order] of Object.entries(tables)) {
    const rows = await knex(table).orderBy(order);
    result[table] = rows.map(row => {
      const copy: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(row)) {
        // Generated ids differ with the order tests ran in; what they point at is compared.
        if (['id', 'group_id', 'incident_id'].includes(name)) continue;
        if (name === 'received_at') continue;
        // PostgreSQL returns bigint as a string, SQLite as a number.
        copy[name] =
          typeof value === 'string' && /^-?\d+$/.test(value)
            ? Number(value)
            : value;
      }
      return copy;
    });
  }
  return result;
}

const dumps = new Map<string, unknown>();

describe('hostile input in the store', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    let knex: Knex;
    let stores: ProductOsStores;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      stores = await createProductOsStores({
        database: mockServices.database({ knex }),
      });
    });

    const write = (
      deliveryId: string | undefined,
      fn: (writer: IngestWriter) => Promise<unknown>,
    ) => stores.ingest.ingest({ source: 'sentry', deliveryId }, fn);

    it('removes NUL characters from every string, JSON included', async () => {
      await write('nul\u0000delivery', w =>
        w.recordErrorEvents([
          errorEvent({
            eventId: 'nul\u0000event',
            fingerprint: 'nul\u0000print',
            title: 'Type\u0000Error',
            release: 'checkout@\u00002.0',
            userKey: 'user\u0000',
            payload: { 'ke\u0000y': ['va\u0000lue'], message: 'a\u0000b' },
            topFrames: [{ function: 'f\u0000', filename: 'a.ts', inApp: true }],
          }),
        ]),
      );
      await write(undefined, async w => {
        await w.upsertIncident(
          {
            entityRef: ENTITY,
            source: 'pagerduty',
            externalId: 'P\u0000123',
            title: 'Checkout \u0000down',
            status: 'triggered',
            createdAt: T0,
            assignees: ['ann\u0000'],
          },
          [
            {
              externalId: 'log\u00001',
              type: 'trigger',
              message: 'tri\u0000ggered',
              occurredAt: T0,
            },
          ],
        );
        await w.recordMetricPoints([
          {
            entityRef: ENTITY,
            metric: 'checkout\u0000_completed',
            bucketStart: T0,
            count: 2,
            userKeys: ['u\u00001'],
          },
        ]);
      });
      await stores.ingest.recordUnmapped(
        'posthog',
        'project-key:\u0000phc',
        T0,
      );

      const [group] = await knex('error_groups').where({
        fingerprint: 'nulprint',
      });
      expect(group.title).toBe('TypeError');
      expect(group.first_release).toBe('checkout@2.0');
      expect(JSON.parse(group.top_frames)).toEqual([
        { function: 'f', filename: 'a.ts', inApp: true },
      ]);
      const [sample] = await knex('error_events').where({
        event_id: 'nulevent',
      });
      expect(JSON.parse(sample.payload)).toEqual({
        key: ['value'],
        message: 'ab',
      });
      const [incident] = await knex('incidents').where({ external_id: 'P123' });
      expect(incident.title).toBe('Checkout down');
      expect(JSON.parse(incident.assignees)).toEqual(['ann']);
      expect(
        await knex('incident_events').where({ external_id: 'log1' }),
      ).toEqual([expect.objectContaining({ message: 'triggered' })]);
      expect(
        await knex('metric_points').where({ metric: 'checkout_completed' }),
      ).toHaveLength(1);
      expect(
        await knex('deliveries').where({ delivery_id: 'nuldelivery' }),
      ).toHaveLength(1);
      expect(
        await knex('unmapped_deliveries').where({ key: 'project-key:phc' }),
      ).toHaveLength(1);
    });

    it('bounds strings to their columns; long keys stay distinct', async () => {
      const first = `${LONG}-first`;
      const second = `${LONG}-second`;
      const result = await write(`${LONG}-delivery`, async w => {
        await w.upsertChangeEvents([
          {
            entityRef: ENTITY,
            source: 'github',
            kind: 'pull_request',
            externalId: first,
            title: 't'.repeat(TEXT_MAX_CHARS + 10),
            author: LONG,
            environment: LONG,
            status: LONG,
            sha: LONG,
            occurredAt: T0,
          },
          {
            entityRef: ENTITY,
            source: 'github',
            kind: 'pull_request',
            externalId: second,
            title: 'second',
            occurredAt: T0,
          },
        ]);
        await w.upsertIncident({
          entityRef: ENTITY,
          source: 'pagerduty',
          externalId: 'P-long',
          title: 'long urgency',
          urgency: LONG,
          priority: LONG,
          status: 'triggered',
          createdAt: T0,
        });
        return w.recordErrorEvents([
          errorEvent({
            eventId: first,
            fingerprint: 'f'.repeat(600),
            release: LONG,
            environment: LONG,
          }),
          errorEvent({
            eventId: second,
            fingerprint: 'f'.repeat(600),
            // An astral character across the cut is not split into half a pair.
            culprit: `${'c'.repeat(TEXT_MAX_CHARS - 1)}😀`,
          }),
        ]);
      });
      expect(result).toEqual({
        duplicate: false,
        result: expect.objectContaining({ stored: 2 }),
      });

      const changes = await knex('change_events')
        .where({ source: 'github' })
        .orderBy('title');
      expect(changes).toHaveLength(2);
      const long = changes.find(c => c.title !== 'second');
      expect(long.title).toHaveLength(TEXT_MAX_CHARS);
      expect(long.author).toBe('x'.repeat(255));
      expect(long.external_id).toHaveLength(255);
      expect(long.external_id).toMatch(/^x{190}~[0-9a-f]{64}$/);
      const [incident] = await knex('incidents').where({
        external_id: 'P-long',
      });
      expect(incident.urgency).toBe('x'.repeat(255));
      const [group] = await knex('error_groups').where({ event_count: 2 });
      expect(group.fingerprint).toHaveLength(512);
      expect(group.first_release).toHaveLength(255);
      expect(group.culprit).toBe('c'.repeat(TEXT_MAX_CHARS - 1));
      expect(
        await knex('error_events').whereNot({ event_id: 'nulevent' }),
      ).toHaveLength(2);
      // The same long delivery id again is a duplicate, not a new delivery.
      expect(await write(`${LONG}-delivery`, async () => undefined)).toEqual({
        duplicate: true,
      });
    });

    it('refuses integers outside their column type with a 400 naming the field', async () => {
      const change = {
        entityRef: ENTITY,
        source: 'github' as const,
        kind: 'pull_request' as const,
        externalId: 'pr-huge',
        title: 'huge',
        occurredAt: T0,
      };
      await expect(
        write('huge-pr', w =>
          w.upsertChangeEvents([{ ...change, number: 2 ** 40 }]),
        ),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringContaining('change number'),
      });
      await expect(
        write(undefined, w =>
          w.recordErrorEvents([errorEvent({ eventId: 'nan', timestamp: NaN })]),
        ),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringContaining('error timestamp'),
      });
      await expect(
        write(undefined, w =>
          w.recordMetricPoints([
            { entityRef: ENTITY, metric: 'm', bucketStart: 1e300, count: 1 },
          ]),
        ),
      ).rejects.toMatchObject({ name: 'InputError' });
      // Nothing of a refused delivery is kept, not even its delivery id.
      expect(
        await knex('change_events').where({ external_id: 'pr-huge' }),
      ).toEqual([]);
      expect(
        await knex('deliveries').where({ delivery_id: 'huge-pr' }),
      ).toEqual([]);
      // A fraction is rounded where PostgreSQL would refuse it.
      await write(undefined, w =>
        w.upsertChangeEvents([{ ...change, number: 7, occurredAt: T0 + 0.6 }]),
      );
      const [stored] = await knex('change_events').where({
        external_id: 'pr-huge',
      });
      expect(Number(stored.occurred_at)).toBe(T0 + 1);
    });

    it('refuses JSON nested past the bound with a 400, however deep', async () => {
      for (const depth of [JSON_MAX_DEPTH + 1, 200_000]) {
        await expect(
          write(`deep-${depth}`, w =>
            w.recordErrorEvents([
              errorEvent({ eventId: `deep-${depth}`, payload: nested(depth) }),
            ]),
          ),
        ).rejects.toMatchObject({
          name: 'InputError',
          message: expect.stringContaining(
            `nests deeper than ${JSON_MAX_DEPTH} levels`,
          ),
        });
      }
      await write('deep-ok', w =>
        w.recordErrorEvents([
          errorEvent({
            eventId: 'deep-ok',
            payload: nested(JSON_MAX_DEPTH - 1),
          }),
        ]),
      );
      expect(
        await knex('error_events').where({ event_id: 'deep-ok' }),
      ).toHaveLength(1);
    });

    it('keeps two inputs that fit to one key as one row', async () => {
      // Before fitting, these were two groups of one statement, which PostgreSQL refuses.
      const result = await write(undefined, w =>
        w.recordErrorEvents([
          errorEvent({ eventId: 'same-1', fingerprint: 'same' }),
          errorEvent({ eventId: 'same-2', fingerprint: 'sa\u0000me' }),
          errorEvent({ eventId: 'same-3', title: 'lone \uD800 surrogate' }),
        ]),
      );
      expect(result.result).toMatchObject({ stored: 3 });
      const [group] = await knex('error_groups').where({ fingerprint: 'same' });
      expect(Number(group.event_count)).toBe(2);
      const [lone] = await knex('error_groups').where({
        fingerprint: 'cart-total',
      });
      expect(lone.title).toBe('lone \uFFFD surrogate');
    });

    it('keeps its rows for the comparison of engines', async () => {
      const rows = await dump(knex);
      expect(JSON.stringify(rows)).not.toContain('\\u0000');
      dumps.set(databaseId, rows);
    });
  });

  it('stores the same rows on both engines', () => {
    const [postgres, sqlite] = [
      dumps.get('POSTGRES_15'),
      dumps.get('SQLITE_3'),
    ];
    expect(postgres).toBeDefined();
    expect(sqlite).toBeDefined();
    expect(postgres).toEqual(sqlite);
  });
});
