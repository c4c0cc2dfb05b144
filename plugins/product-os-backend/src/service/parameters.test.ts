import { InputError } from '@backstage/errors';
import type { Request, Response } from 'express';
import {
  parseBody,
  parseQuery,
  queries,
  runActionBody,
  toRange,
  validActionPath,
  validBody,
  validId,
  validQuery,
} from './parameters';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// Saturday 21 November 2026, 08:30 UTC: half way through an hour, a third of the way into a day.
const now = Date.parse('2026-11-21T08:30:00.000Z');

describe('toRange', () => {
  it('uses hourly buckets up to a week, ending with the hour still filling', () => {
    expect(toRange({ window: '24h' }, now)).toEqual({
      from: Date.parse('2026-11-20T09:00:00.000Z'),
      to: Date.parse('2026-11-21T09:00:00.000Z'),
      bucketMs: HOUR,
      bucket: 'hour',
    });
    expect(toRange({ window: '7d' }, now)).toEqual({
      from: Date.parse('2026-11-14T09:00:00.000Z'),
      to: Date.parse('2026-11-21T09:00:00.000Z'),
      bucketMs: HOUR,
      bucket: 'hour',
    });
  });

  it('uses daily buckets beyond a week, ending with the day still filling', () => {
    expect(toRange({ window: '30d' }, now)).toEqual({
      from: Date.parse('2026-10-23T00:00:00.000Z'),
      to: Date.parse('2026-11-22T00:00:00.000Z'),
      bucketMs: DAY,
      bucket: 'day',
    });
    const ninety = toRange({ window: '90d' }, now);
    expect(ninety.bucket).toBe('day');
    expect((ninety.to - ninety.from) / DAY).toBe(90);
  });

  it('follows an explicit bucket size, aligned to that bucket', () => {
    expect(toRange({ window: '90d', bucket: 'hour' }, now)).toEqual({
      from: Date.parse('2026-08-23T09:00:00.000Z'),
      to: Date.parse('2026-11-21T09:00:00.000Z'),
      bucketMs: HOUR,
      bucket: 'hour',
    });
    expect(toRange({ window: '7d', bucket: 'day' }, now)).toEqual({
      from: Date.parse('2026-11-15T00:00:00.000Z'),
      to: Date.parse('2026-11-22T00:00:00.000Z'),
      bucketMs: DAY,
      bucket: 'day',
    });
  });

  it('counts a moment on a bucket boundary into the bucket that starts there', () => {
    const range = toRange(
      { window: '24h' },
      Date.parse('2026-11-21T09:00:00.000Z'),
    );
    expect(new Date(range.to).toISOString()).toBe('2026-11-21T10:00:00.000Z');
    expect((range.to - range.from) / HOUR).toBe(24);
  });
});

describe('parseQuery', () => {
  function reason(
    schema: Parameters<typeof parseQuery>[0],
    query: unknown,
  ): string {
    try {
      parseQuery(schema, query);
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      return (error as Error).message;
    }
    throw new Error('parseQuery accepted the query');
  }

  it('defaults the window to 7d and reads numbers from strings', () => {
    expect(parseQuery(queries.window, {})).toEqual({ window: '7d' });
    expect(
      parseQuery(queries.window, {
        window: '30d',
        bucket: 'hour',
        limit: '20',
      }),
    ).toEqual({
      window: '30d',
      bucket: 'hour',
      limit: 20,
    });
  });

  it('names the parameter it refuses', () => {
    expect(reason(queries.window, { window: '2d' })).toMatch(
      /^Invalid query parameter 'window': .*'24h' \| '7d' \| '30d' \| '90d'/,
    );
    expect(reason(queries.window, { bucket: 'minute' })).toMatch(
      /^Invalid query parameter 'bucket': .*'hour' \| 'day'/,
    );
    expect(reason(queries.window, { limit: '0' })).toMatch(
      /^Invalid query parameter 'limit': .*greater than or equal to 1/,
    );
    expect(reason(queries.window, { limit: '501' })).toMatch(
      /^Invalid query parameter 'limit': .*less than or equal to 500/,
    );
    expect(reason(queries.window, { limit: '2.5' })).toMatch(
      /^Invalid query parameter 'limit'/,
    );
    expect(reason(queries.window, { limit: 'many' })).toMatch(
      /^Invalid query parameter 'limit'/,
    );
    expect(reason(queries.window, { window: ['7d', '30d'] })).toMatch(
      /^Invalid query parameter 'window'/,
    );
  });

  it('takes one change kind or several, and refuses unknown ones by name', () => {
    expect(parseQuery(queries.changes, { kind: 'deployment' }).kind).toEqual([
      'deployment',
    ]);
    expect(
      parseQuery(queries.changes, { kind: ['deployment', 'release'] }).kind,
    ).toEqual(['deployment', 'release']);
    expect(parseQuery(queries.changes, {}).kind).toBeUndefined();
    expect(reason(queries.changes, { kind: 'tag' })).toMatch(
      /^Invalid query parameter 'kind': .*'commit' \| 'pull_request' \| 'deployment' \| 'release' \| 'change', received 'tag'/,
    );
    expect(reason(queries.changes, { kind: ['release', 'tag'] })).toMatch(
      /^Invalid query parameter 'kind': .*received 'tag'/,
    );
  });

  it('reads the diagnosis filters', () => {
    expect(
      parseQuery(queries.diagnoses, {
        status: ['open', 'acknowledged'],
        actionability: 'needs_human',
        owner: 'group:default/payments',
        limit: '10',
      }),
    ).toEqual({
      status: ['open', 'acknowledged'],
      actionability: ['needs_human'],
      owner: 'group:default/payments',
      limit: 10,
    });
    expect(reason(queries.diagnoses, { status: 'closed' })).toMatch(
      /^Invalid query parameter 'status': .*received 'closed'/,
    );
    expect(reason(queries.diagnoses, { actionability: 'urgent' })).toMatch(
      /^Invalid query parameter 'actionability'/,
    );
  });
});

/** Runs a middleware on a request of these parts; what it left in `res.locals`, or its error. */
function run(
  middleware: (req: Request, res: Response, next: () => void) => void,
  req: Partial<Request>,
): Record<string, unknown> {
  const res = { locals: {} } as Response;
  let called = false;
  middleware(
    { params: {}, query: {}, ...req } as Request,
    res,
    () => (called = true),
  );
  expect(called).toBe(true);
  return res.locals;
}

describe('validation middleware', () => {
  it('leaves the parsed query, with its defaults, for the handler', () => {
    expect(
      run(validQuery(queries.window), { query: { limit: '20' } }).query,
    ).toEqual({ window: '7d', limit: 20 });
  });

  it('fails before the handler with a 400 naming the parameter', () => {
    expect(() =>
      run(validQuery(queries.diagnoses), { query: { status: 'closed' } }),
    ).toThrow(/^Invalid query parameter 'status'/);
  });

  it('parses the body and the id of the path', () => {
    expect(
      run(validBody(queries.unmapped), { body: { limit: 5 } }).body,
    ).toEqual({ limit: 5, offset: 0 });
    expect(run(validId('a diagnosis'), { params: { id: '42' } }).id).toBe(42);
    expect(() => run(validId('an anomaly'), { params: { id: '-1' } })).toThrow(
      new InputError(`'-1' is not an anomaly id`),
    );
  });

  it('knows the actions from product-os-common', () => {
    expect(
      run(validActionPath, { params: { id: '7', action: 'pr-comment' } }),
    ).toEqual({ id: 7, action: 'pr-comment' });
    expect(() =>
      run(validActionPath, { params: { id: '7', action: 'delete-repo' } }),
    ).toThrow('action: expected one of github-issue, pr-comment');
    expect(() =>
      run(validActionPath, { params: { id: 'x', action: 'pr-comment' } }),
    ).toThrow('id: x is not a diagnosis id');
  });

  it('wants a run confirmed, with the token of the preview', () => {
    const token = 'a'.repeat(64);
    expect(
      parseBody(runActionBody, { confirm: true, previewToken: token }),
    ).toEqual({ confirm: true, previewToken: token });
    expect(() => parseBody(runActionBody, { previewToken: token })).toThrow(
      "Invalid body field 'confirm': must be true, after the user confirmed the preview",
    );
    expect(() =>
      parseBody(runActionBody, { confirm: true, previewToken: 'abc' }),
    ).toThrow(
      "Invalid body field 'previewToken': send the previewToken of the preview the user confirmed",
    );
  });
});
