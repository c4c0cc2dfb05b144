import { createServer, IncomingMessage, Server, ServerResponse } from 'http';
import type { AddressInfo } from 'net';
import { createVendorApi, VendorApiOptions } from './createVendorApi';
import { nextPageUrl } from './linkPagination';
import { retryDelayMs } from './retryDelay';
import { VendorApiError } from './VendorApiError';

type Handler = (
  req: IncomingMessage,
  res: ServerResponse,
  body: string,
) => void;

/** A local server answering in turn with the handlers given, the last one repeated. */
async function vendorServer(...handlers: Handler[]) {
  const seen: {
    method: string;
    url: string;
    headers: IncomingMessage['headers'];
    body: string;
  }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', chunk => (body += chunk));
    req.on('end', () => {
      seen.push({
        method: req.method!,
        url: req.url!,
        headers: req.headers,
        body,
      });
      handlers[Math.min(seen.length, handlers.length) - 1](req, res, body);
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/api/0`,
    seen,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const json =
  (
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): Handler =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

const NOW = Date.UTC(2026, 11, 2, 9, 0, 0);

function client(baseUrl: string, extra: Partial<VendorApiOptions> = {}) {
  const waits: number[] = [];
  const api = createVendorApi({
    baseUrl,
    headers: { authorization: 'Bearer sntrys_test' },
    now: () => NOW,
    sleep: async ms => {
      waits.push(ms);
    },
    ...extra,
  });
  return { api, waits };
}

describe('retryDelayMs', () => {
  const headers = (h: Record<string, string>) => new Headers(h);
  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryDelayMs(headers({ 'retry-after': '17' }), NOW)).toBe(17_000);
    expect(
      retryDelayMs(
        headers({ 'retry-after': 'Wed, 02 Dec 2026 09:01:30 GMT' }),
        NOW,
      ),
    ).toBe(90_000);
  });
  it('reads reset headers as epoch seconds or as seconds from now', () => {
    expect(
      retryDelayMs(
        headers({ 'x-sentry-rate-limit-reset': String(NOW / 1000 + 42) }),
        NOW,
      ),
    ).toBe(42_000);
    expect(retryDelayMs(headers({ 'ratelimit-reset': '8' }), NOW)).toBe(8_000);
    expect(
      retryDelayMs(
        headers({ 'x-ratelimit-reset': String(NOW / 1000 - 5) }),
        NOW,
      ),
    ).toBe(0);
    expect(retryDelayMs(headers({}), NOW)).toBeUndefined();
  });
});

describe('nextPageUrl', () => {
  it("follows Sentry's next link only while it says there are results", () => {
    const link = (results: string) =>
      `<https://sentry.io/api/0/projects/acme/checkout/issues/?&cursor=1700000000000:0:1>; rel="previous"; results="false"; cursor="1700000000000:0:1", ` +
      `<https://sentry.io/api/0/projects/acme/checkout/issues/?&cursor=1700000000000:100:0>; rel="next"; results="${results}"; cursor="1700000000000:100:0"`;
    expect(nextPageUrl(link('true'))).toBe(
      'https://sentry.io/api/0/projects/acme/checkout/issues/?&cursor=1700000000000:100:0',
    );
    expect(nextPageUrl(link('false'))).toBeUndefined();
    expect(
      nextPageUrl('<https://api.example.com/items?page=3>; rel="next"'),
    ).toBe('https://api.example.com/items?page=3');
    expect(nextPageUrl(null)).toBeUndefined();
  });
});

describe('createVendorApi', () => {
  let server: Awaited<ReturnType<typeof vendorServer>> | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('sends the query and credentials and parses the JSON answer', async () => {
    server = await vendorServer(json(200, [{ id: '1' }]));
    const { api } = client(server.baseUrl);
    const res = await api.request<{ id: string }[]>(
      '/projects/acme/checkout/issues/',
      {
        query: { statsPeriod: '14d', query: undefined, project: ['1', '2'] },
      },
    );
    expect(res.body).toEqual([{ id: '1' }]);
    expect(server.seen[0].url).toBe(
      '/api/0/projects/acme/checkout/issues/?statsPeriod=14d&project=1&project=2',
    );
    expect(server.seen[0].headers.authorization).toBe('Bearer sntrys_test');
  });

  it('posts a JSON body', async () => {
    server = await vendorServer(json(200, { results: [[1]] }));
    const { api } = client(server.baseUrl);
    await api.request('/projects/4211/query/', {
      method: 'POST',
      body: { query: { kind: 'HogQLQuery', query: 'select 1' } },
    });
    expect(server.seen[0]).toMatchObject({ method: 'POST' });
    expect(JSON.parse(server.seen[0].body)).toEqual({
      query: { kind: 'HogQLQuery', query: 'select 1' },
    });
    expect(server.seen[0].headers['content-type']).toBe('application/json');
  });

  it('retries a 429 after the Retry-After the vendor names, and 5xx with doubling backoff', async () => {
    server = await vendorServer(
      json(429, { detail: 'slow down' }, { 'retry-after': '3' }),
      json(503, {}),
      json(502, {}),
      json(200, { ok: true }),
    );
    const { api, waits } = client(server.baseUrl, { backoffMs: 500 });
    const res = await api.request('/organizations/acme/releases/');
    expect(res.body).toEqual({ ok: true });
    expect(waits).toEqual([3_000, 1_000, 2_000]);
    expect(server.seen).toHaveLength(4);
  });

  it('waits until the rate-limit reset when there is no Retry-After', async () => {
    server = await vendorServer(
      json(429, {}, { 'x-sentry-rate-limit-reset': String(NOW / 1000 + 20) }),
      json(200, []),
    );
    const { api, waits } = client(server.baseUrl);
    await api.request('/organizations/acme/issues/');
    expect(waits).toEqual([20_000]);
  });

  it('backs off on a 5xx even when the answer carries a rate-limit reset', async () => {
    server = await vendorServer(
      json(503, {}, { 'ratelimit-reset': '58' }),
      json(200, { ok: true }),
    );
    const { api, waits } = client(server.baseUrl);
    await api.request('/incidents');
    expect(waits).toEqual([1_000]);
  });

  it('fails with the status and reason once the retries are spent, and at once on a 4xx', async () => {
    server = await vendorServer(json(500, { detail: 'Internal Error' }));
    const { api } = client(server.baseUrl, { retries: 2 });
    await expect(api.request('/x/')).rejects.toThrow(
      /GET http:\/\/127\.0\.0\.1:\d+\/api\/0\/x\/ answered 500 Internal Server Error: \{"detail":"Internal Error"\} \(after 3 attempts\)/,
    );
    expect(server.seen).toHaveLength(3);
    await server.close();

    server = await vendorServer(json(401, { detail: 'Invalid token' }));
    const unauthorized = client(server.baseUrl);
    const error = await unauthorized.api.request('/x/').catch(e => e);
    expect(error).toBeInstanceOf(VendorApiError);
    expect(error).toMatchObject({ status: 401 });
    expect(server.seen).toHaveLength(1);
  });

  it('fails rather than sleep longer than maxWaitMs', async () => {
    server = await vendorServer(json(429, {}, { 'retry-after': '3600' }));
    const { api, waits } = client(server.baseUrl, { maxWaitMs: 60_000 });
    await expect(api.request('/x/')).rejects.toThrow(/asks to wait 3600 s/);
    expect(waits).toEqual([]);
  });

  it('gives up on an attempt past its deadline and retries it', async () => {
    server = await vendorServer(() => {
      // Never answers.
    }, json(200, { ok: 1 }));
    const { api, waits } = client(server.baseUrl, { timeoutMs: 50 });
    expect((await api.request('/slow/')).body).toEqual({ ok: 1 });
    expect(waits).toHaveLength(1);
  });

  it('retries a refused connection and then names it', async () => {
    server = await vendorServer(json(200, {}));
    const { baseUrl } = server;
    await server.close();
    server = undefined;
    const { api, waits } = client(baseUrl, { retries: 1 });
    await expect(api.request('/x/')).rejects.toThrow(
      /failed: fetch failed \(after 2 attempts\)/,
    );
    expect(waits).toEqual([1_000]);
  });

  it('stops at once when the pull is cancelled, even while waiting to retry', async () => {
    server = await vendorServer(json(503, {}));
    const controller = new AbortController();
    const api = createVendorApi({
      baseUrl: server.baseUrl,
      sleep: (_ms, signal) =>
        new Promise((_resolve, reject) => {
          signal.addEventListener('abort', () => reject(signal.reason));
          controller.abort(new Error('run cancelled'));
        }),
    });
    await expect(
      api.request('/x/', { signal: controller.signal }),
    ).rejects.toThrow('run cancelled');
    expect(server.seen).toHaveLength(1);
  });

  it('follows Link pages while they have results', async () => {
    const page =
      (cursor: string, results: boolean): Handler =>
      (req, res) => {
        const next = `http://${req.headers.host}/api/0/projects/acme/checkout/issues/?cursor=${cursor}`;
        res.writeHead(200, {
          'content-type': 'application/json',
          link: `<${next}>; rel="previous"; results="false"; cursor="0:0:1", <${next}>; rel="next"; results="${results}"; cursor="${cursor}"`,
        });
        res.end(JSON.stringify([{ id: cursor }]));
      };
    server = await vendorServer(
      page('0:100:0', true),
      page('0:200:0', true),
      page('0:300:0', false),
    );
    const { api } = client(server.baseUrl);
    const ids: string[] = [];
    for await (const p of api.pages<{ id: string }[]>(
      '/projects/acme/checkout/issues/',
      {
        query: { statsPeriod: '14d' },
      },
    ))
      ids.push(...p.body.map(i => i.id));
    expect(ids).toEqual(['0:100:0', '0:200:0', '0:300:0']);
    expect(server.seen.map(s => s.url)).toEqual([
      '/api/0/projects/acme/checkout/issues/?statsPeriod=14d',
      '/api/0/projects/acme/checkout/issues/?cursor=0:100:0',
      '/api/0/projects/acme/checkout/issues/?cursor=0:200:0',
    ]);
  });
});
