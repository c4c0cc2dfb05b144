import { registerMswTestHooks } from '@backstage/test-utils';
import { ResponseError } from '@backstage/errors';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { ProductOsClient } from './ProductOsClient';
import * as fixtures from '../__testUtils__/fixtures';

const baseUrl = 'http://localhost:7007/api/product-os';
const entityUrl = `${baseUrl}/entities/component/default/checkout`;
const checkout = { kind: 'Component', namespace: 'default', name: 'checkout' };

describe('ProductOsClient', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  const fetchApi = {
    fetch: jest.fn((input: any, init?: any) => fetch(input, init)),
  };
  const client = new ProductOsClient({
    discoveryApi: {
      getBaseUrl: async (pluginId: string) =>
        `http://localhost:7007/api/${pluginId}`,
    },
    fetchApi,
  });

  /** Serves `body` at `path` and records the URLs and bodies it was called with. */
  function serve(method: 'get' | 'post', path: string, body: unknown) {
    const calls: Array<{ url: URL; body?: unknown }> = [];
    server.use(
      http[method](path, async ({ request }) => {
        calls.push({
          url: new URL(request.url),
          body: method === 'post' ? await request.json() : undefined,
        });
        return HttpResponse.json(body as any);
      }),
    );
    return calls;
  }

  it('reads the overview of an entity, lower-casing its kind', async () => {
    const calls = serve('get', `${entityUrl}/overview`, fixtures.overview);
    await expect(
      client.getOverview(checkout, { window: '7d' }),
    ).resolves.toEqual(fixtures.overview);
    expect(calls[0].url.searchParams.get('window')).toBe('7d');
  });

  it('sends window, limit and bucket to the error reads', async () => {
    const groups = serve('get', `${entityUrl}/errors`, {
      items: fixtures.errorGroups,
    });
    const trend = serve(
      'get',
      `${entityUrl}/errors/trend`,
      fixtures.errorTrend,
    );

    await expect(
      client.getErrors(checkout, { window: '30d', limit: 5 }),
    ).resolves.toEqual({
      items: fixtures.errorGroups,
    });
    await expect(
      client.getErrorTrend(checkout, { window: '30d', bucket: 'day' }),
    ).resolves.toEqual(fixtures.errorTrend);

    expect(Object.fromEntries(groups[0].url.searchParams)).toEqual({
      window: '30d',
      limit: '5',
    });
    expect(Object.fromEntries(trend[0].url.searchParams)).toEqual({
      window: '30d',
      bucket: 'day',
    });
  });

  it('repeats the kind parameter for every change kind asked for', async () => {
    const calls = serve('get', `${entityUrl}/changes`, {
      items: fixtures.changes,
    });
    await client.getChanges(checkout, {
      window: '7d',
      kinds: ['deployment', 'release'],
    });
    expect(calls[0].url.searchParams.getAll('kind')).toEqual([
      'deployment',
      'release',
    ]);
  });

  it('leaves out parameters that were not given', async () => {
    const calls = serve('get', `${entityUrl}/incidents`, {
      items: fixtures.incidents,
    });
    await client.getIncidents(checkout);
    expect(calls[0].url.search).toBe('');
  });

  it('encodes entity names and namespaces', async () => {
    const calls = serve(
      'get',
      `${baseUrl}/entities/system/team%20a/web%2Fshop/timeline`,
      {
        items: [],
      },
    );
    await client.getTimeline({
      kind: 'System',
      namespace: 'team a',
      name: 'web/shop',
    });
    expect(calls).toHaveLength(1);
  });

  it('reads metrics, diagnoses and the timeline of an entity', async () => {
    const metrics = serve('get', `${entityUrl}/metrics`, {
      items: fixtures.metrics,
    });
    const diagnoses = serve('get', `${entityUrl}/diagnoses`, {
      items: fixtures.diagnoses,
    });
    serve('get', `${entityUrl}/timeline`, { items: fixtures.timeline });

    expect(
      (await client.getMetrics(checkout, { window: '7d', bucket: 'hour' }))
        .items,
    ).toHaveLength(2);
    expect(
      (await client.getDiagnoses(checkout, { status: 'open' })).items[0].id,
    ).toBe(12);
    expect(
      (await client.getTimeline(checkout, { window: '7d' })).items,
    ).toHaveLength(7);
    expect(metrics[0].url.searchParams.get('bucket')).toBe('hour');
    expect(diagnoses[0].url.searchParams.get('status')).toBe('open');
  });

  it('reads the health list and the portal-wide diagnoses with their filters', async () => {
    const health = serve('get', `${baseUrl}/health`, {
      items: fixtures.health,
    });
    const inbox = serve('get', `${baseUrl}/diagnoses`, {
      items: [fixtures.openDiagnosis],
    });

    await client.getHealth({
      owner: 'group:default/payments',
      lifecycle: 'production',
    });
    await client.getHealth(
      { system: 'system:default/shop' },
      { window: '30d' },
    );
    await client.listDiagnoses({
      status: 'open',
      actionability: 'needs_human',
    });

    expect(Object.fromEntries(health[0].url.searchParams)).toEqual({
      owner: 'group:default/payments',
      lifecycle: 'production',
    });
    expect(Object.fromEntries(health[1].url.searchParams)).toEqual({
      window: '30d',
      system: 'system:default/shop',
    });
    expect(Object.fromEntries(inbox[0].url.searchParams)).toEqual({
      status: 'open',
      actionability: 'needs_human',
    });
  });

  it('reads a roll-up by the kind, namespace and name of its subject', async () => {
    const rollups = serve(
      'get',
      `${baseUrl}/rollups/group/default/payments%20team`,
      { subjectRef: 'group:default/payments team', members: [] },
    );
    await expect(
      client.getRollup({
        kind: 'Group',
        namespace: 'default',
        name: 'payments team',
      }),
    ).resolves.toMatchObject({ subjectRef: 'group:default/payments team' });
    expect(rollups).toHaveLength(1);
  });

  it("reads an entity's sync state and asks for a sync now", async () => {
    const reads = serve('get', `${entityUrl}/sync`, fixtures.syncStatus);
    const syncs = serve('post', `${entityUrl}/sync`, fixtures.syncStatus);
    await expect(client.getSyncStatus(checkout)).resolves.toEqual(
      fixtures.syncStatus,
    );
    await expect(client.syncNow(checkout)).resolves.toEqual(
      fixtures.syncStatus,
    );
    expect(reads).toHaveLength(1);
    expect(syncs).toHaveLength(1);
  });

  it('posts a status change with its reason', async () => {
    const updated = { ...fixtures.openDiagnosis, status: 'acknowledged' };
    const calls = serve('post', `${baseUrl}/diagnoses/12/status`, updated);
    await expect(
      client.updateDiagnosisStatus(12, {
        status: 'acknowledged',
        reason: 'Rolling back',
      }),
    ).resolves.toEqual(updated);
    expect(calls[0].body).toEqual({
      status: 'acknowledged',
      reason: 'Rolling back',
    });
  });

  it('previews an action, then runs it with an explicit confirmation', async () => {
    const preview = {
      action: 'github-issue',
      target: 'acme/checkout',
      title: 'Error spike',
      body: 'Suspect: #512',
      enabled: true,
    };
    const previews = serve(
      'post',
      `${baseUrl}/diagnoses/12/actions/github-issue/preview`,
      preview,
    );
    const runs = serve(
      'post',
      `${baseUrl}/diagnoses/12/actions/github-issue/run`,
      {
        url: 'https://github.com/acme/checkout/issues/913',
      },
    );

    await expect(
      client.previewDiagnosisAction(12, 'github-issue'),
    ).resolves.toEqual(preview);
    await expect(
      client.runDiagnosisAction(12, 'github-issue', 'token-1'),
    ).resolves.toEqual({
      url: 'https://github.com/acme/checkout/issues/913',
    });
    expect(previews).toHaveLength(1);
    expect(runs[0].body).toEqual({ confirm: true, previewToken: 'token-1' });
  });

  it('reads the frontend config', async () => {
    serve('get', `${baseUrl}/config`, { actionsEnabled: false });
    await expect(client.getConfig()).resolves.toEqual({
      actionsEnabled: false,
    });
  });

  it('throws a ResponseError carrying the backend error', async () => {
    server.use(
      http.post(`${baseUrl}/diagnoses/12/status`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'ConflictError',
              message: 'Diagnosis 12 is already resolved',
            },
            request: {
              method: 'POST',
              url: '/api/product-os/diagnoses/12/status',
            },
            response: { statusCode: 409 },
          },
          { status: 409 },
        ),
      ),
    );

    const error = await client
      .updateDiagnosisStatus(12, { status: 'resolved' })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(409);
    expect(error.body.error.message).toBe('Diagnosis 12 is already resolved');
  });

  it('goes through the fetch API, so requests carry the user token', async () => {
    serve('get', `${baseUrl}/config`, { actionsEnabled: true });
    fetchApi.fetch.mockClear();
    await client.getConfig();
    expect(fetchApi.fetch).toHaveBeenCalledWith(`${baseUrl}/config`);
  });
});
