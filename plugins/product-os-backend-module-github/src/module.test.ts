import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  GITHUB_PATHS_ANNOTATION,
  GITHUB_PROJECT_SLUG_ANNOTATION,
} from '@internal/plugin-product-os-common';
// The whole-module test runs the module inside the plugin it extends, as a backend would.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import productOsPlugin from '@internal/plugin-product-os-backend';
import webhookExamples from '@octokit/webhooks-examples';
import { sign } from '@octokit/webhooks-methods';
import type { Server } from 'http';
import type { Knex } from 'knex';
import request from 'supertest';
import { randomUUID } from 'crypto';
import { gzipSync } from 'zlib';
import productOsModuleGithub from './index';

// Each test boots a backend and sends dozens of deliveries through a real database; 5 s is a
// unit test's budget, not that.
jest.setTimeout(60_000);

const SECRET = 'a webhook secret';
const WEBHOOK = '/api/product-os/github/webhook';
const HANDLED_EVENTS = [
  'push',
  'pull_request',
  'deployment',
  'deployment_status',
  'release',
  'workflow_run',
  'ping',
];

function examplesOf(name: string): any[] {
  const definition = webhookExamples.find(d => d.name === name);
  if (!definition) throw new Error(`No example payloads for ${name}`);
  return definition.examples;
}

/** A copy of a real payload, changed where a test needs it. */
function examplePayload(name: string, index: number): any {
  return structuredClone(examplesOf(name)[index]);
}

function component(name: string, annotations: Record<string, string>) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
  };
}

const entities = [
  component('hello-world', {
    [GITHUB_PROJECT_SLUG_ANNOTATION]: 'Codertocat/Hello-World',
  }),
  component('octo', { [GITHUB_PROJECT_SLUG_ANNOTATION]: 'octo-org/octo-repo' }),
  // Three entities of one monorepo: two narrowed to their paths, one owning all of it.
  component('checkout', {
    [GITHUB_PROJECT_SLUG_ANNOTATION]: 'acme/monorepo',
    [GITHUB_PATHS_ANNOTATION]: 'services/checkout/',
  }),
  component('payments', {
    [GITHUB_PROJECT_SLUG_ANNOTATION]: 'acme/monorepo',
    [GITHUB_PATHS_ANNOTATION]: 'services/payments/, libs/payments/',
  }),
  component('platform', { [GITHUB_PROJECT_SLUG_ANNOTATION]: 'acme/monorepo' }),
];

async function startBackend(options: {
  knex: Knex;
  github: {
    webhookSecret?: string;
    rateLimitPerMinute?: number;
    bodyLimits?: { compressedBytes?: number; decompressedBytes?: number };
  };
}): Promise<Server> {
  const { server } = await startTestBackend({
    features: [
      productOsPlugin,
      productOsModuleGithub,
      catalogServiceMock.factory({ entities }),
      mockServices.rootConfig.factory({
        data: { productOs: { sources: { github: options.github } } },
      }),
      mockServices.database.factory({ knex: options.knex }),
    ],
  });
  return server;
}

interface Delivery {
  event: string;
  payload: unknown;
  deliveryId?: string;
  /** Defaults to the signature of the body with {@link SECRET}. */
  signature?: string | null;
}

async function deliver(server: Server, delivery: Delivery) {
  const body =
    typeof delivery.payload === 'string'
      ? delivery.payload
      : JSON.stringify(delivery.payload);
  const signature =
    delivery.signature === undefined
      ? await sign(SECRET, body)
      : delivery.signature;
  const req = request(server)
    .post(WEBHOOK)
    .set('Content-Type', 'application/json')
    .set('X-GitHub-Event', delivery.event)
    .set('X-GitHub-Delivery', delivery.deliveryId ?? randomUUID());
  if (signature !== null) req.set('X-Hub-Signature-256', signature);
  return req.send(body);
}

function readChanges(server: Server, entityName: string, query: string) {
  return request(server)
    .get(
      `/api/product-os/entities/component/default/${entityName}/changes?${query}`,
    )
    .set('Authorization', mockCredentials.user.header());
}

/** Times near now, whole seconds as GitHub sends them, inside the read API's 24h window. */
const BASE = Math.floor((Date.now() - 3 * 3_600_000) / 1000) * 1000;
const at = (minutes: number) => new Date(BASE + minutes * 60_000).toISOString();

function pushOf(
  repository: string,
  commits: Array<{ sha: string; files: string[] }>,
) {
  const payload = examplePayload('push', 4);
  payload.repository.full_name = repository;
  payload.commits = commits.map((commit, i) => ({
    ...payload.commits[0],
    id: commit.sha,
    tree_id: commit.sha,
    message: `Change ${commit.sha}\n\nLonger description`,
    timestamp: at(i),
    url: `https://github.com/${repository}/commit/${commit.sha}`,
    added: commit.files.slice(0, 1),
    modified: commit.files.slice(1),
    removed: [],
  }));
  payload.head_commit = payload.commits[payload.commits.length - 1] ?? null;
  return payload;
}

const sha = (n: number) => n.toString(16).padStart(40, 'a');

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

describe.each(databases.eachSupportedId())(
  'GitHub webhooks on %s',
  databaseId => {
    let server: Server;
    let knex: Knex;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      server = await startBackend({
        knex,
        github: {
          webhookSecret: SECRET,
          bodyLimits: {
            compressedBytes: 256 * 1024,
            decompressedBytes: 256 * 1024,
          },
        },
      });
    });

    /** The change rows of an entity, as stored, without their ids. */
    async function storedChanges(entityName: string) {
      const rows = await knex('change_events')
        .where('entity_ref', `component:default/${entityName}`)
        .orderBy(['kind', 'external_id']);
      return rows.map(row => ({
        kind: row.kind,
        externalId: row.external_id,
        title: row.title,
        author: row.author,
        sha: row.sha,
        number: row.number === null ? null : Number(row.number),
        environment: row.environment,
        status: row.status,
        url: row.url,
        occurredAt: Number(row.occurred_at),
        finishedAt: row.finished_at === null ? null : Number(row.finished_at),
        files: JSON.parse(row.files),
      }));
    }

    it('accepts every example payload of the handled events and stores what they describe', async () => {
      const statuses: Array<[string, number, number]> = [];
      for (const event of HANDLED_EVENTS) {
        for (const [index, payload] of examplesOf(event).entries()) {
          const res = await deliver(server, {
            event,
            payload,
            deliveryId: `example-${event}-${index}`,
          });
          statuses.push([event, index, res.status]);
        }
      }
      expect(
        statuses.filter(([, , status]) => status < 200 || status > 299),
      ).toEqual([]);

      const helloWorld = await storedChanges('hello-world');
      expect(helloWorld.map(c => `${c.kind} ${c.externalId}`)).toEqual([
        'change 1589141559',
        'commit 6113728f27ae82c7b1a177c8d03f9e96e0adf246',
        'deployment 145988746',
        'pull_request 2',
        'release 0.0.1',
      ]);
      expect(helloWorld.find(c => c.kind === 'commit')).toEqual({
        kind: 'commit',
        externalId: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
        title: 'Initial commit',
        author: 'Codertocat',
        sha: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
        number: null,
        environment: null,
        status: null,
        url: 'https://github.com/Codertocat/Hello-World/commit/6113728f27ae82c7b1a177c8d03f9e96e0adf246',
        occurredAt: Date.parse('2019-05-15T15:19:25Z'),
        finishedAt: null,
        files: ['README.md'],
      });
      // The last deployment_status example reports success on the production deployment.
      expect(helloWorld.find(c => c.kind === 'deployment')).toMatchObject({
        sha: 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e',
        environment: 'production',
        status: 'success',
        finishedAt: Date.parse('2019-05-15T15:20:55Z'),
      });
      expect(helloWorld.find(c => c.kind === 'release')).toMatchObject({
        title: '0.0.1',
        author: 'Codertocat',
        status: 'published',
        url: 'https://github.com/Codertocat/Hello-World/releases/tag/0.0.1',
        occurredAt: Date.parse('2019-05-15T15:20:53Z'),
      });
      // Only the completed runs on the default branch; the requested ones are skipped.
      expect(await storedChanges('octo')).toEqual([
        {
          kind: 'change',
          externalId: '289782451',
          title:
            'test: ci(action): update actions/setup-node digest to 8c91899',
          author: 'Codertocat',
          sha: '3484a3fb816e0859fd6e1cea078d76385ff50625',
          number: null,
          environment: null,
          status: 'success',
          url: 'https://github.com/octo-org/octo-repo/actions/runs/289782451',
          // The run (a re-run) started at run_started_at, after the run was created.
          occurredAt: Date.parse('2020-10-05T16:33:49Z'),
          finishedAt: Date.parse('2020-10-05T16:33:49Z'),
          files: [],
        },
      ]);
    });

    it("stores a push's commits with their files, author and url, readable through the API", async () => {
      const payload = pushOf('Codertocat/Hello-World', [
        { sha: sha(1), files: ['src/app.ts', 'src/cart.ts'] },
        { sha: sha(2), files: ['README.md'] },
      ]);
      const res = await deliver(server, { event: 'push', payload });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ stored: 2 });

      const read = await readChanges(
        server,
        'hello-world',
        'window=24h&kind=commit',
      );
      expect(read.status).toBe(200);
      expect(read.body.items).toEqual([
        {
          id: expect.any(Number),
          entityRef: 'component:default/hello-world',
          source: 'github',
          kind: 'commit',
          externalId: sha(2),
          title: `Change ${sha(2)}`,
          author: 'Codertocat',
          sha: sha(2),
          url: `https://github.com/Codertocat/Hello-World/commit/${sha(2)}`,
          occurredAt: at(1),
          files: ['README.md'],
        },
        {
          id: expect.any(Number),
          entityRef: 'component:default/hello-world',
          source: 'github',
          kind: 'commit',
          externalId: sha(1),
          title: `Change ${sha(1)}`,
          author: 'Codertocat',
          sha: sha(1),
          url: `https://github.com/Codertocat/Hello-World/commit/${sha(1)}`,
          occurredAt: at(0),
          files: ['src/app.ts', 'src/cart.ts'],
        },
      ]);
    });

    it('stores a push of 2,048 commits in statements of at most 100 rows, giving the event loop a turn between them', async () => {
      // The default limits (2 MiB), which this push fits.
      const defaults = await startBackend({
        knex,
        github: { webhookSecret: SECRET },
      });
      const commits = Array.from({ length: 2048 }, (_, i) => ({
        sha: sha(10_000 + i),
        files: [`src/feature${i}/index.ts`, `src/area${i % 50}/shared.ts`],
      }));
      // Counts the macrotask turns other requests get, and notes the turn each change-event
      // statement runs in. SQLite's driver is synchronous: statements that follow each other
      // without a turn between hold the loop for all of them.
      let turns = 0;
      let delivering = true;
      const turn = () => {
        if (!delivering) return;
        turns += 1;
        setImmediate(turn);
      };
      const statementTurns: number[] = [];
      const onQuery = (query: { sql: string }) => {
        if (/^insert into .change_events./i.test(query.sql)) {
          statementTurns.push(turns);
        }
      };
      knex.on('query', onQuery);
      setImmediate(turn);
      try {
        const res = await deliver(defaults, {
          event: 'push',
          payload: pushOf('Codertocat/Hello-World', commits),
        });
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ stored: 2048 });
      } finally {
        delivering = false;
        knex.off('query', onQuery);
      }

      // 2,048 rows in 21 statements (was one statement per commit), each in a turn of its own.
      expect(statementTurns).toHaveLength(21);
      expect(new Set(statementTurns).size).toBe(21);
      const stored = await knex('change_events')
        .where({ entity_ref: 'component:default/hello-world', kind: 'commit' })
        .whereIn(
          'external_id',
          commits.map(commit => commit.sha),
        )
        .count({ count: '*' });
      expect(Number(stored[0].count)).toBe(2048);
    });

    it('refuses a wrong or missing signature with 401 and stores nothing', async () => {
      const payload = pushOf('Codertocat/Hello-World', [
        { sha: sha(10), files: ['a.ts'] },
      ]);
      const body = JSON.stringify(payload);

      const wrongSecret = await deliver(server, {
        event: 'push',
        payload: body,
        signature: await sign('not the secret', body),
      });
      expect(wrongSecret.status).toBe(401);
      const tampered = await deliver(server, {
        event: 'push',
        payload: body.replace('a.ts', 'b.ts'),
        signature: await sign(SECRET, body),
      });
      expect(tampered.status).toBe(401);
      const unsigned = await deliver(server, {
        event: 'push',
        payload: body,
        signature: null,
      });
      expect(unsigned.status).toBe(401);

      expect(await knex('change_events').where('external_id', sha(10))).toEqual(
        [],
      );
    });

    it('answers 400 with the reason for a body that is not JSON or lacks a field', async () => {
      const notJson = await deliver(server, {
        event: 'push',
        payload: '{"ref": "refs/heads/',
      });
      expect(notJson.status).toBe(400);
      expect(notJson.body.error.message).toMatch(/not valid JSON/);

      const payload = examplePayload('pull_request', 0);
      delete payload.pull_request.created_at;
      const missingField = await deliver(server, {
        event: 'pull_request',
        payload,
      });
      expect(missingField.status).toBe(400);
      expect(missingField.body.error.message).toBe(
        "Webhook field 'payload.pull_request.created_at' must be an ISO 8601 time",
      );
    });

    it('accepts a form-encoded delivery', async () => {
      const payload = pushOf('Codertocat/Hello-World', [
        { sha: sha(20), files: ['form.ts'] },
      ]);
      const body = new URLSearchParams({
        payload: JSON.stringify(payload),
      }).toString();
      const res = await request(server)
        .post(WEBHOOK)
        .set('Content-Type', 'application/x-www-form-urlencoded')
        .set('X-GitHub-Event', 'push')
        .set('X-GitHub-Delivery', randomUUID())
        .set('X-Hub-Signature-256', await sign(SECRET, body))
        .send(body);
      expect(res.status).toBe(200);
      expect(await storedChanges('hello-world')).toContainEqual(
        expect.objectContaining({ externalId: sha(20), files: ['form.ts'] }),
      );
    });

    it('refuses a body over the limit, on the wire or once decompressed, with 413', async () => {
      const payload = pushOf('Codertocat/Hello-World', [
        { sha: sha(30), files: ['big.ts'] },
      ]);
      payload.commits[0].message = 'x'.repeat(300 * 1024);
      const tooLarge = await deliver(server, { event: 'push', payload });
      expect(tooLarge.status).toBe(413);

      const body = JSON.stringify(payload);
      const gzipped = await request(server)
        .post(WEBHOOK)
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', 'gzip')
        .set('X-GitHub-Event', 'push')
        .set('X-Hub-Signature-256', await sign(SECRET, body))
        // Sent as the compressed bytes, not serialized as JSON.
        .serialize(compressed => compressed)
        .send(gzipSync(body));
      expect(gzipped.status).toBe(413);

      expect(await knex('change_events').where('external_id', sha(30))).toEqual(
        [],
      );
    });

    it('stores a replayed delivery once and says it was a duplicate', async () => {
      const payload = pushOf('Codertocat/Hello-World', [
        { sha: sha(40), files: ['replay.ts'] },
      ]);
      const first = await deliver(server, {
        event: 'push',
        payload,
        deliveryId: 'replayed-1',
      });
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ stored: 1 });

      const replay = await deliver(server, {
        event: 'push',
        payload,
        deliveryId: 'replayed-1',
      });
      expect(replay.status).toBe(200);
      expect(replay.body).toEqual({
        duplicate: true,
        note: 'Delivery replayed-1 was processed before; nothing was stored again',
      });
      expect(
        await knex('change_events').where('external_id', sha(40)),
      ).toHaveLength(1);
      expect(
        await knex('deliveries').where({
          source: 'github',
          delivery_id: 'replayed-1',
        }),
      ).toHaveLength(1);
    });

    it('gives the entities of a monorepo only the commits that touch their paths', async () => {
      const payload = pushOf('acme/monorepo', [
        { sha: sha(50), files: ['services/checkout/cart.ts'] },
        { sha: sha(51), files: ['services/payments/charge.ts'] },
        { sha: sha(52), files: ['docs/payments.md', 'libs/payments/money.ts'] },
        { sha: sha(53), files: ['docs/README.md'] },
      ]);
      const push = await deliver(server, { event: 'push', payload });
      expect(push.status).toBe(200);
      expect(push.body).toEqual({ stored: 7 });

      const pr = examplePayload('pull_request', 0);
      pr.repository.full_name = 'acme/monorepo';
      pr.pull_request.number = 77;
      expect(
        (await deliver(server, { event: 'pull_request', payload: pr })).status,
      ).toBe(200);

      const summary = async (name: string) =>
        (await storedChanges(name)).map(c => `${c.kind} ${c.externalId}`);
      expect(await summary('checkout')).toEqual([
        `commit ${sha(50)}`,
        'pull_request 77',
      ]);
      expect(await summary('payments')).toEqual([
        `commit ${sha(51)}`,
        `commit ${sha(52)}`,
        'pull_request 77',
      ]);
      expect(await summary('platform')).toEqual([
        `commit ${sha(50)}`,
        `commit ${sha(51)}`,
        `commit ${sha(52)}`,
        `commit ${sha(53)}`,
        'pull_request 77',
      ]);
    });

    it('completes one deployment row with the deployment_status that follows it', async () => {
      const deployment = examplePayload('deployment', 0);
      deployment.repository.full_name = 'acme/monorepo';
      Object.assign(deployment.deployment, {
        id: 9001,
        sha: sha(60),
        ref: 'main',
        created_at: at(10),
      });
      const created = await deliver(server, {
        event: 'deployment',
        payload: deployment,
      });
      expect(created.status).toBe(200);

      const pending = await readChanges(
        server,
        'checkout',
        'window=24h&kind=deployment',
      );
      expect(pending.body.items).toEqual([
        expect.objectContaining({
          externalId: '9001',
          status: 'pending',
          occurredAt: at(10),
        }),
      ]);
      expect(pending.body.items[0].finishedAt).toBeUndefined();

      const status = examplePayload('deployment_status', 0);
      status.repository.full_name = 'acme/monorepo';
      status.deployment = deployment.deployment;
      Object.assign(status.deployment_status, {
        state: 'success',
        created_at: at(14),
        updated_at: at(14),
        log_url: 'https://github.com/acme/monorepo/actions/runs/1',
      });
      const finished = await deliver(server, {
        event: 'deployment_status',
        payload: status,
      });
      expect(finished.status).toBe(200);

      const read = await readChanges(
        server,
        'checkout',
        'window=24h&kind=deployment',
      );
      expect(read.body.items).toEqual([
        {
          id: pending.body.items[0].id,
          entityRef: 'component:default/checkout',
          source: 'github',
          kind: 'deployment',
          externalId: '9001',
          title: `Deploy main (${sha(60).slice(0, 7)}) to production`,
          author: 'Codertocat',
          sha: sha(60),
          environment: 'production',
          status: 'success',
          url: 'https://github.com/acme/monorepo/actions/runs/1',
          occurredAt: at(10),
          finishedAt: at(14),
          files: [],
        },
      ]);
    });

    it('updates a pull request from opened to merged, dated by its merge', async () => {
      const opened = examplePayload('pull_request', 0);
      opened.repository.full_name = 'acme/monorepo';
      Object.assign(opened.pull_request, {
        number: 88,
        created_at: at(20),
        title: 'Faster cart',
      });
      expect(
        (await deliver(server, { event: 'pull_request', payload: opened }))
          .status,
      ).toBe(200);

      const merged = structuredClone(opened);
      merged.action = 'closed';
      Object.assign(merged.pull_request, {
        state: 'closed',
        merged: true,
        merged_at: at(45),
        closed_at: at(45),
        merge_commit_sha: sha(88),
      });
      expect(
        (await deliver(server, { event: 'pull_request', payload: merged }))
          .status,
      ).toBe(200);

      const read = await readChanges(
        server,
        'platform',
        'window=24h&kind=pull_request',
      );
      expect(read.body.items).toEqual([
        {
          id: expect.any(Number),
          entityRef: 'component:default/platform',
          source: 'github',
          kind: 'pull_request',
          externalId: '88',
          number: 88,
          title: 'Faster cart',
          author: 'Codertocat',
          sha: sha(88),
          status: 'merged',
          url: 'https://github.com/Codertocat/Hello-World/pull/2',
          occurredAt: at(45),
          files: [],
        },
      ]);
    });

    it('answers a ping with 200 and ignores other events with 202', async () => {
      const ping = await deliver(server, {
        event: 'ping',
        payload: examplePayload('ping', 0),
      });
      expect(ping.status).toBe(200);

      const issues = await deliver(server, {
        event: 'issues',
        payload: {
          action: 'opened',
          repository: { full_name: 'Codertocat/Hello-World' },
        },
      });
      expect(issues.status).toBe(202);
      expect(issues.body).toEqual({
        ignored: true,
        reason: "Event 'issues' is not stored",
      });
    });

    it('accepts a delivery from a repository no entity claims and counts it as unmapped', async () => {
      const payload = pushOf('nobody/unclaimed', [
        { sha: sha(70), files: ['x.ts'] },
      ]);
      const res = await deliver(server, { event: 'push', payload });
      expect(res.status).toBe(202);
      expect(res.body).toEqual({
        unmapped: true,
        repository: 'nobody/unclaimed',
      });
      expect(await knex('change_events').where('external_id', sha(70))).toEqual(
        [],
      );

      const unmapped = await request(server)
        .get('/api/product-os/admin/unmapped')
        .set('Authorization', mockCredentials.user.header());
      expect(unmapped.body.items).toContainEqual(
        expect.objectContaining({
          source: 'github',
          key: 'nobody/unclaimed',
          count: 1,
        }),
      );
    });
  },
);

describe('GitHub webhook configuration', () => {
  it('limits deliveries per repository with 429 and Retry-After', async () => {
    const server = await startBackend({
      knex: await databases.init('SQLITE_3'),
      github: { webhookSecret: SECRET, rateLimitPerMinute: 2 },
    });
    const push = (repository: string, n: number) =>
      deliver(server, {
        event: 'push',
        payload: pushOf(repository, [{ sha: sha(100 + n), files: ['a.ts'] }]),
      });
    expect((await push('Codertocat/Hello-World', 1)).status).toBe(200);
    expect((await push('Codertocat/Hello-World', 2)).status).toBe(200);
    const limited = await push('Codertocat/Hello-World', 3);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Another repository has its own allowance.
    expect((await push('acme/monorepo', 4)).status).toBe(200);
  });

  it('refuses every delivery with 503 while no secret is configured', async () => {
    const server = await startBackend({
      knex: await databases.init('SQLITE_3'),
      github: {},
    });
    const res = await deliver(server, {
      event: 'ping',
      payload: examplePayload('ping', 0),
    });
    expect(res.status).toBe(503);
  });
});
