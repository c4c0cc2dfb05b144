import http from 'http';
import type { AddressInfo } from 'net';
import { gunzipSync } from 'zlib';

/*
 * A local PostHog that answers as PostHog's documented APIs do, for the pull's tests and the
 * sync benchmark:
 * - `POST /batch/` (capture, as posthog-node sends it, gzipped or not) stores the events, so a
 *   test can send with the real SDK and then query what it sent.
 * - `POST /api/projects/:project_id/query/` runs a `HogQLQuery`: a personal API key as
 *   `Authorization: Bearer` (401 without one or with another), a project the key may read (403
 *   otherwise), `kind: "HogQLQuery"` (400 otherwise), every `{placeholder}` given in `values`
 *   (400 otherwise), and answers `{ results, columns, types, hasMore, limit, offset, ... }`.
 *   It evaluates the two query shapes the pull sends (hourly counts of some events, and
 *   `$exception` events) over the stored events, with their `LIMIT` and `OFFSET`; any other
 *   query is a 400, as a query PostHog could not run would be.
 * - Errors are PostHog's `{ type, code, detail, attr }`; 429s carry `Retry-After`.
 */

/** An event as PostHog stores it. */
export interface FakeEvent {
  uuid: string;
  event: string;
  /** Epoch ms. */
  timestamp: number;
  distinct_id: string;
  properties: Record<string, unknown>;
}

/** An answer forced on the next query: a status (with `Retry-After`), or no answer at all. */
export type FakeFailure =
  | { status: number; retryAfterSeconds?: number }
  | { hang: true };

/** A query as it reached the server. */
export interface ReceivedQuery {
  projectId: string;
  query: { kind: string; query: string; values?: Record<string, unknown> };
}

export interface FakePostHogOptions {
  personalApiKey: string;
  /** Projects the key may read; by default any. */
  projectIds?: string[];
  /** Waits this long before answering each query (the benchmark's latency). */
  latencyMs?: number;
  /** Called with every capture body as it arrived, e.g. to send it on to Product OS too. */
  onCapture?: (
    body: Buffer,
    headers: http.IncomingHttpHeaders,
  ) => Promise<void>;
}

export interface FakePostHog {
  url: string;
  /** Events by project id; `/batch/` stores into `captureProjectId`'s. */
  events: Map<string, FakeEvent[]>;
  captureProjectId: string;
  /** Failures answered to the next queries, in order. */
  failures: FakeFailure[];
  /** Queries that reached the endpoint (refused ones too). */
  queries: ReceivedQuery[];
  addEvents(projectId: string, events: FakeEvent[]): void;
  close(): Promise<void>;
}

const MAX_ROWS = 50_000;

/** PostHog's state behind a handler: the events, forced failures and received queries. */
export type FakePostHogState = Omit<FakePostHog, 'url' | 'close'>;

/** An empty PostHog. */
export function createFakePostHogState(): FakePostHogState {
  const fake: Omit<FakePostHog, 'url' | 'close'> = {
    events: new Map(),
    captureProjectId: '1',
    failures: [],
    queries: [],
    addEvents(projectId, events) {
      const stored = fake.events.get(projectId) ?? [];
      for (const event of events) stored.push(event);
      fake.events.set(projectId, stored);
    },
  };
  return fake;
}

/**
 * Answers one request as PostHog does, over `fake` (for a server of one's own, e.g. the sync
 * benchmark's). Requests answered with `{ hang: true }` are added to `hanging`.
 */
export function createFakePostHogHandler(
  fake: FakePostHogState,
  options: FakePostHogOptions,
  hanging = new Set<http.ServerResponse>(),
) {
  return async (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    body: Buffer,
  ): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://posthog');
    if (req.method === 'POST' && /^\/batch\/?$/.test(url.pathname)) {
      capture(fake, body, req.headers);
      await options.onCapture?.(body, req.headers);
      return json(res, 200, { status: 'Ok' });
    }
    const match = /^\/api\/projects\/([^/]+)\/query\/?$/.exec(url.pathname);
    if (req.method !== 'POST' || !match)
      return error(res, 404, 'invalid_request', 'not_found', 'Not found.');
    if (options.latencyMs)
      await new Promise(resolve => setTimeout(resolve, options.latencyMs));

    const projectId = decodeURIComponent(match[1]);
    let parsed: any;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return error(
        res,
        400,
        'invalid_request',
        'parse_error',
        'JSON parse error',
      );
    }
    fake.queries.push({ projectId, query: parsed?.query });

    const auth = req.headers.authorization;
    if (!auth)
      return error(
        res,
        401,
        'authentication_error',
        'not_authenticated',
        'Authentication credentials were not provided.',
      );
    if (auth !== `Bearer ${options.personalApiKey}`)
      return error(
        res,
        401,
        'authentication_error',
        'authentication_failed',
        'Personal API key found in request Authorization header is invalid.',
      );
    if (options.projectIds && !options.projectIds.includes(projectId))
      return error(
        res,
        403,
        'authentication_error',
        'permission_denied',
        "You don't have access to the project.",
      );

    const failure = fake.failures.shift();
    if (failure && 'hang' in failure) {
      hanging.add(res);
      return undefined;
    }
    if (failure) {
      if (failure.retryAfterSeconds !== undefined)
        res.setHeader('Retry-After', String(failure.retryAfterSeconds));
      return failure.status === 429
        ? error(
            res,
            429,
            'throttled_error',
            'throttled',
            `Request was throttled. Expected available in ${
              failure.retryAfterSeconds ?? 1
            } seconds.`,
          )
        : error(
            res,
            failure.status,
            'server_error',
            'error',
            'A server error occurred.',
          );
    }

    const query = parsed?.query;
    if (
      !query ||
      query.kind !== 'HogQLQuery' ||
      typeof query.query !== 'string'
    )
      return error(
        res,
        400,
        'validation_error',
        'invalid_input',
        'Input should be a valid HogQLQuery',
        'query',
      );
    const values: Record<string, unknown> = query.values ?? {};
    for (const [, name] of query.query.matchAll(/\{(\w+)\}/g)) {
      if (!(name in values))
        return error(
          res,
          400,
          'validation_error',
          'invalid_input',
          `Placeholder {${name}} is not available in this context. You can use the following: ${Object.keys(
            values,
          ).join(', ')}`,
        );
    }
    const answer = runQuery(
      query.query,
      values,
      fake.events.get(projectId) ?? [],
    );
    if (!answer)
      return error(
        res,
        400,
        'validation_error',
        'query_error',
        'This query is not one this server can run.',
      );
    return json(res, 200, {
      ...answer,
      query: query.query,
      hogql: query.query,
      is_cached: false,
      timings: [],
    });
  };
}

export async function startFakePostHog(
  options: FakePostHogOptions,
): Promise<FakePostHog> {
  const fake = createFakePostHogState();
  const hanging = new Set<http.ServerResponse>();
  const handle = createFakePostHogHandler(fake, options, hanging);
  const server = http.createServer(async (req, res) => {
    await handle(req, res, await readBody(req));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  // The same object the server reads, so a test's changes (e.g. `captureProjectId`) apply.
  return Object.assign(fake, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>(resolve => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

/** Evaluates the pull's two query shapes; undefined for any other. */
function runQuery(
  text: string,
  values: Record<string, unknown>,
  events: FakeEvent[],
) {
  const limit = Math.min(
    MAX_ROWS,
    Number(/LIMIT (\d+)/.exec(text)?.[1] ?? 100),
  );
  const offset = Number(/OFFSET (\d+)/.exec(text)?.[1] ?? 0);
  const from = Number(values.from) * 1000;
  const to = Number(values.to) * 1000;
  const inWindow = (e: FakeEvent) => e.timestamp >= from && e.timestamp < to;
  let columns: string[];
  let types: [string, string][];
  let rows: unknown[][];
  if (
    /count\(DISTINCT distinct_id\)/.test(text) &&
    /WHERE event IN \{metrics\}/.test(text) &&
    /GROUP BY event, hour/.test(text)
  ) {
    if (!Array.isArray(values.metrics)) return undefined;
    const wanted = new Set(values.metrics);
    const groups = new Map<
      string,
      { event: string; hour: number; ids: string[] }
    >();
    for (const e of events) {
      if (!wanted.has(e.event) || !inWindow(e)) continue;
      const hour = Math.floor(e.timestamp / 3_600_000) * 3600;
      const key = `${hour}\u0000${e.event}`;
      const group = groups.get(key) ?? { event: e.event, hour, ids: [] };
      group.ids.push(e.distinct_id);
      groups.set(key, group);
    }
    rows = [...groups.values()]
      .sort((a, b) => a.hour - b.hour || (a.event < b.event ? -1 : 1))
      .map(g => [g.event, g.hour, g.ids.length, new Set(g.ids).size]);
    columns = ['event', 'hour', 'events', 'users'];
    types = [
      ['event', 'String'],
      ['hour', 'UInt64'],
      ['events', 'UInt64'],
      ['users', 'UInt64'],
    ];
  } else if (/WHERE event = '\$exception'/.test(text)) {
    rows = events
      .filter(e => e.event === '$exception' && inWindow(e))
      .sort((a, b) => a.timestamp - b.timestamp || (a.uuid < b.uuid ? -1 : 1))
      .map(e => [
        e.uuid,
        e.timestamp,
        e.distinct_id,
        JSON.stringify(e.properties),
      ]);
    columns = ['uuid', 'ts', 'distinct_id', 'properties'];
    types = [
      ['uuid', 'UUID'],
      ['ts', 'Int64'],
      ['distinct_id', 'String'],
      ['properties', 'String'],
    ];
  } else return undefined;
  return {
    results: rows.slice(offset, offset + limit),
    columns,
    types,
    hasMore: rows.length > offset + limit,
    limit,
    offset,
  };
}

/** Stores a posthog-node batch as PostHog's capture would. */
function capture(
  fake: Omit<FakePostHog, 'url' | 'close'>,
  body: Buffer,
  headers: http.IncomingHttpHeaders,
) {
  const gzipped =
    headers['content-encoding'] === 'gzip' ||
    (body[0] === 0x1f && body[1] === 0x8b);
  const payload = JSON.parse(
    (gzipped ? gunzipSync(body) : body).toString('utf8'),
  );
  const batch: any[] = Array.isArray(payload.batch) ? payload.batch : [payload];
  fake.addEvents(
    fake.captureProjectId,
    batch.map(event => ({
      uuid: event.uuid,
      event: event.event,
      timestamp: Date.parse(event.timestamp ?? new Date().toISOString()),
      distinct_id: String(event.distinct_id),
      properties: event.properties ?? {},
    })),
  );
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', chunk => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function json(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function error(
  res: http.ServerResponse,
  status: number,
  type: string,
  code: string,
  detail: string,
  attr: string | null = null,
) {
  json(res, status, { type, code, detail, attr });
}
