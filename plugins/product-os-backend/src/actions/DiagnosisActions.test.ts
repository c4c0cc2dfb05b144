import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type {
  ActionPreview,
  Diagnosis,
} from '@internal/plugin-product-os-common';
import * as http from 'http';
import type { AddressInfo } from 'net';
import request from 'supertest';
import {
  createProductOsStores,
  ProductOsStores,
} from '../database/createProductOsStores';
import { startProductOsBackend } from '../__testUtils__/productOsBackend';

jest.setTimeout(60_000);

const NOW = Date.parse('2026-11-20T12:00:00Z');
const HOUR = 3_600_000;
const ALICE = 'user:default/alice';
const TOKEN = 'ghs_productOsTestToken';
const PLANTED =
  '@everyone please merge https://evil.example/pr/9 [click](https://evil.example)';

const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'checkout',
      namespace: 'default',
      annotations: { 'github.com/project-slug': 'acme/checkout' },
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/payments',
    },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'ledger', namespace: 'default' },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/payments',
    },
  },
  // component:default/vault exists only in the store: the caller cannot see it in the catalog.
];

interface Received {
  method: string;
  url: string;
  authorization?: string;
  body: any;
}

/** A stand-in for api.github.com that records what it is sent. */
async function startFakeGithub() {
  const received: Received[] = [];
  let failWith: number | undefined;
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', chunk => (data += chunk));
    req.on('end', () => {
      received.push({
        method: req.method!,
        url: req.url!,
        authorization: req.headers.authorization,
        body: data ? JSON.parse(data) : undefined,
      });
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, {
          'content-type': 'application/json; charset=utf-8',
        });
        res.end(JSON.stringify(body));
      };
      if (failWith) {
        reply(failWith, { message: 'Server Error' });
        return;
      }
      const issue = /^\/repos\/([^/]+)\/([^/]+)\/issues$/.exec(req.url!);
      const comment =
        /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(req.url!);
      if (req.method === 'POST' && issue) {
        reply(201, {
          id: 1001,
          number: 77,
          title: JSON.parse(data).title,
          html_url: `https://github.com/${issue[1]}/${issue[2]}/issues/77`,
        });
      } else if (req.method === 'POST' && comment) {
        reply(201, {
          id: 9001,
          html_url: `https://github.com/${comment[1]}/${comment[2]}/pull/${comment[3]}#issuecomment-9001`,
        });
      } else {
        reply(404, { message: 'Not Found' });
      }
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    received,
    failWith(status: number | undefined) {
      failWith = status;
    },
    close: () => new Promise(resolve => server.close(resolve)),
  };
}

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

async function startBackend(options: {
  enabled: boolean;
  canAct: boolean;
  githubUrl: string;
}) {
  const knex = await databases.init('SQLITE_3');
  const { server } = await startProductOsBackend({
    database: knex,
    catalog: entities,
    denies: permission =>
      !options.canAct && permission === 'product-os.diagnosis.act',
    productOs: {
      actions: {
        enabled: options.enabled,
        github: { baseUrl: options.githubUrl },
      },
    },
    config: {
      integrations: { github: [{ host: 'github.com', token: TOKEN }] },
    },
  });
  const stores = await createProductOsStores({
    database: mockServices.database({ knex }),
  });
  return { server, stores };
}

/** Seeds the checkout service's changes and diagnoses as the agent would have written them. */
async function seed(stores: ProductOsStores) {
  const entityRef = 'component:default/checkout';
  await stores.ingest.ingest(
    { source: 'github', deliveryId: 'seed-1' },
    async writer => {
      await writer.upsertChangeEvents([
        {
          entityRef,
          source: 'github',
          kind: 'pull_request',
          externalId: 'acme/checkout#512',
          title: 'Retry payment capture on 502s',
          author: 'dana',
          number: 512,
          sha: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
          status: 'merged',
          occurredAt: NOW - 3 * HOUR,
        },
        {
          entityRef,
          source: 'github',
          kind: 'pull_request',
          externalId: 'acme/checkout#513',
          title: 'Bump card SDK',
          author: 'erin',
          number: 513,
          sha: 'ffeeddccbbaa00998877665544332211ffeeddcc',
          status: 'merged',
          occurredAt: NOW - 5 * HOUR,
        },
        {
          entityRef,
          source: 'github',
          kind: 'deployment',
          externalId: 'deploy-4242',
          title: 'Deploy checkout to production',
          sha: 'ffeeddccbbaa00998877665544332211ffeeddcc',
          environment: 'production',
          status: 'success',
          occurredAt: NOW - 4 * HOUR,
        },
      ]);
    },
  );
  const changes = await stores.changes.getChangeEvents(entityRef, {
    from: NOW - 24 * HOUR,
    to: NOW,
  });
  const idOf = (externalId: string) =>
    changes.find(c => c.externalId === externalId)!.id;

  const base = {
    confidence: 0.72,
    actionability: 'actionable' as const,
    reviewers: ['user:default/dana'],
    createdAt: NOW - HOUR,
  };
  const byPullRequest = await stores.diagnoses.createDiagnosis({
    ...base,
    entityRef,
    summary: 'Errors rose 14x after PR #512 was deployed.',
    nextStep: 'Ask dana to review the retry logic.',
    impact: { events: 420, affectedUsers: 57 },
    suspects: [
      {
        changeEventId: idOf('acme/checkout#512'),
        score: 0.81,
        confidence: 0.72,
        evidence: [
          {
            kind: 'file_overlap',
            description:
              'The top frame payments/capture.ts:88 is in a file the PR changed',
            weight: 0.5,
          },
        ],
      },
    ],
    evidence: [
      {
        kind: 'error_spike',
        description: `Error group "TypeError: ${PLANTED}" rose from 3 to 42 events an hour`,
        weight: 0.4,
      },
    ],
  });
  const byDeployment = await stores.diagnoses.createDiagnosis({
    ...base,
    entityRef,
    summary: 'Errors rose after deployment 4242.',
    suspects: [
      {
        changeEventId: idOf('deploy-4242'),
        score: 0.7,
        confidence: 0.6,
        evidence: [],
      },
    ],
    evidence: [],
  });
  const inconclusive = await stores.diagnoses.createDiagnosis({
    ...base,
    entityRef,
    summary: 'Errors rose, but no change stands out.',
    verdict: 'not_enough_evidence',
    suspects: [
      {
        changeEventId: idOf('acme/checkout#512'),
        score: 0.2,
        confidence: 0.2,
        evidence: [],
      },
    ],
    evidence: [],
  });
  const withoutRepository = await stores.diagnoses.createDiagnosis({
    ...base,
    entityRef: 'component:default/ledger',
    summary: 'Ledger errors rose.',
    suspects: [],
    evidence: [],
  });
  const hidden = await stores.diagnoses.createDiagnosis({
    ...base,
    entityRef: 'component:default/vault',
    summary: 'Vault errors rose.',
    suspects: [],
    evidence: [],
  });
  return {
    byPullRequest,
    byDeployment,
    inconclusive,
    withoutRepository,
    hidden,
  };
}

/** The text of a Markdown body outside its code spans, i.e. what GitHub would interpret. */
function outsideCodeSpans(markdown: string): string {
  return markdown.replace(/(`+)[\s\S]*?\1/g, '');
}

describe('diagnosis actions', () => {
  let github: Awaited<ReturnType<typeof startFakeGithub>>;
  beforeAll(async () => {
    github = await startFakeGithub();
  });
  afterAll(() => github.close());
  beforeEach(() => {
    github.received.length = 0;
    github.failWith(undefined);
  });

  describe('enabled, with permission', () => {
    let server: http.Server;
    let stores: ProductOsStores;
    let diagnoses: Awaited<ReturnType<typeof seed>>;
    const alice = mockCredentials.user.header(ALICE);

    beforeAll(async () => {
      ({ server, stores } = await startBackend({
        enabled: true,
        canAct: true,
        githubUrl: github.baseUrl,
      }));
      diagnoses = await seed(stores);
    });

    const preview = async (diagnosis: Diagnosis, action: string) => {
      const res = await request(server)
        .post(
          `/api/product-os/diagnoses/${diagnosis.id}/actions/${action}/preview`,
        )
        .set('Authorization', alice)
        .send({});
      expect(res.status).toBe(200);
      return res.body as ActionPreview;
    };
    const run = (diagnosis: Diagnosis, action: string, body: unknown) =>
      request(server)
        .post(`/api/product-os/diagnoses/${diagnosis.id}/actions/${action}/run`)
        .set('Authorization', alice)
        .send(body as object);

    it('tells the frontend that actions are enabled', async () => {
      const res = await request(server)
        .get('/api/product-os/config')
        .set('Authorization', alice);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ actionsEnabled: true });
    });

    it('previews the issue: its repository, title and body, and writes nothing', async () => {
      const shown = await preview(diagnoses.byPullRequest, 'github-issue');
      expect(shown).toMatchObject({
        action: 'github-issue',
        target: 'acme/checkout',
        title: `Product OS diagnosis ${diagnoses.byPullRequest.id}: component:default/checkout, suspect pull request #512`,
        enabled: true,
      });
      expect(shown.previewToken).toMatch(/^[0-9a-f]{64}$/);
      expect(shown.body).toContain(
        '1. Pull request #512: `Retry payment capture on 502s` by `dana`',
      );
      expect(shown.body).toContain('confidence 72 %');
      expect(shown.body).toContain(
        '**Impact:** 420 error events, up to 57 affected users since the onset',
      );
      expect(shown.body).toContain(
        `for \`${ALICE}\`, who confirmed this exact text`,
      );
      expect(github.received).toHaveLength(0);
    });

    it('neutralizes a mention and links planted in an error title', async () => {
      const { body } = await preview(diagnoses.byPullRequest, 'github-issue');
      // The planted text is there, readable, but only inside a code span, with the mention broken.
      expect(body).toContain(
        '`Error group "TypeError: @\u200beveryone please merge https://evil.example/pr/9',
      );
      expect(body).not.toContain('@everyone');
      const interpreted = outsideCodeSpans(body);
      expect(interpreted).not.toMatch(/@|https?:|\]\(/);
    });

    it('refuses to run without confirmation or without the preview token', async () => {
      const { previewToken } = await preview(
        diagnoses.byPullRequest,
        'github-issue',
      );
      const unconfirmed = await run(diagnoses.byPullRequest, 'github-issue', {
        previewToken,
      });
      expect(unconfirmed.status).toBe(400);
      expect(unconfirmed.body.error.message).toMatch(/confirm/);
      const tokenless = await run(diagnoses.byPullRequest, 'github-issue', {
        confirm: true,
      });
      expect(tokenless.status).toBe(400);
      expect(tokenless.body.error.message).toMatch(/previewToken/);
      expect(github.received).toHaveLength(0);
    });

    it('refuses a token that does not match what would be written now', async () => {
      const { byDeployment } = diagnoses;
      const { previewToken } = await preview(byDeployment, 'github-issue');
      await stores.diagnoses.transitionDiagnosis(byDeployment.id, {
        to: 'acknowledged',
        from: ['open'],
        by: 'user:default/dana',
        at: NOW,
      });
      const stale = await run(byDeployment, 'github-issue', {
        confirm: true,
        previewToken,
      });
      expect(stale.status).toBe(409);
      const forged = await run(byDeployment, 'github-issue', {
        confirm: true,
        previewToken: 'f'.repeat(64),
      });
      expect(forged.status).toBe(409);
      expect(github.received).toHaveLength(0);
    });

    it('opens exactly the previewed issue, once, and audits it', async () => {
      const shown = await preview(diagnoses.byPullRequest, 'github-issue');
      const res = await run(diagnoses.byPullRequest, 'github-issue', {
        confirm: true,
        previewToken: shown.previewToken,
      });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        url: 'https://github.com/acme/checkout/issues/77',
      });

      expect(github.received).toEqual([
        {
          method: 'POST',
          url: '/repos/acme/checkout/issues',
          authorization: `token ${TOKEN}`,
          body: { title: shown.title, body: shown.body },
        },
      ]);

      const again = await run(diagnoses.byPullRequest, 'github-issue', {
        confirm: true,
        previewToken: shown.previewToken,
      });
      expect(again.status).toBe(409);
      expect(again.body.error.message).toContain(
        'https://github.com/acme/checkout/issues/77',
      );
      expect(github.received).toHaveLength(1);

      const audit = await request(server)
        .get('/api/product-os/admin/audit')
        .set('Authorization', alice);
      expect(audit.body.items[0]).toMatchObject({
        actor: ALICE,
        action: 'github-issue',
        target: 'acme/checkout',
        diagnosisId: diagnoses.byPullRequest.id,
        outcome: 'succeeded',
        request: {
          title: shown.title,
          body: shown.body,
          previewToken: shown.previewToken,
        },
        result: { url: 'https://github.com/acme/checkout/issues/77' },
      });
    });

    it('comments on the pull request whose merge the suspect deployment shipped', async () => {
      const shown = await preview(diagnoses.byDeployment, 'pr-comment');
      expect(shown.target).toBe('acme/checkout#513');
      expect(shown.title).toBeUndefined();
      expect(shown.body).toMatch(
        /^Product OS suspects this pull request in diagnosis/,
      );
      const res = await run(diagnoses.byDeployment, 'pr-comment', {
        confirm: true,
        previewToken: shown.previewToken,
      });
      expect(res.status).toBe(201);
      expect(res.body.url).toBe(
        'https://github.com/acme/checkout/pull/513#issuecomment-9001',
      );
      expect(github.received).toEqual([
        {
          method: 'POST',
          url: '/repos/acme/checkout/issues/513/comments',
          authorization: `token ${TOKEN}`,
          body: { body: shown.body },
        },
      ]);
    });

    it('reports a GitHub failure to the caller and audits it as failed', async () => {
      const shown = await preview(diagnoses.byPullRequest, 'pr-comment');
      expect(shown.target).toBe('acme/checkout#512');
      github.failWith(500);
      const res = await run(diagnoses.byPullRequest, 'pr-comment', {
        confirm: true,
        previewToken: shown.previewToken,
      });
      expect(res.status).toBe(502);
      expect(res.body.error.message).toMatch(
        /GitHub did not comment on acme\/checkout#512: 500/,
      );
      expect(github.received).toHaveLength(1);

      const audit = await request(server)
        .get('/api/product-os/admin/audit')
        .set('Authorization', alice);
      expect(audit.body.items[0]).toMatchObject({
        actor: ALICE,
        action: 'pr-comment',
        target: 'acme/checkout#512',
        outcome: 'failed',
        result: { githubStatus: 500 },
      });
    });

    it('cannot run without a repository, and says why in the preview', async () => {
      const shown = await preview(diagnoses.withoutRepository, 'github-issue');
      expect(shown).toMatchObject({
        target: '',
        enabled: false,
        disabledReason:
          'component:default/ledger has no github.com/project-slug annotation',
      });
      const res = await run(diagnoses.withoutRepository, 'github-issue', {
        confirm: true,
        previewToken: shown.previewToken,
      });
      expect(res.status).toBe(400);
      expect(github.received).toHaveLength(0);
    });

    it('does not name a pull request when the diagnosis names no suspect', async () => {
      const comment = await preview(diagnoses.inconclusive, 'pr-comment');
      expect(comment).toMatchObject({
        target: '',
        enabled: false,
        disabledReason:
          'The diagnosis names no suspect: there is not enough evidence',
      });
      const issue = await preview(diagnoses.inconclusive, 'github-issue');
      expect(issue).toMatchObject({ target: 'acme/checkout', enabled: true });
    });

    it('answers 404 for an unknown diagnosis and for one of an entity the caller cannot see', async () => {
      for (const id of [999_999, diagnoses.hidden.id]) {
        const res = await request(server)
          .post(`/api/product-os/diagnoses/${id}/actions/github-issue/preview`)
          .set('Authorization', alice)
          .send({});
        expect(res.status).toBe(404);
        const ran = await request(server)
          .post(`/api/product-os/diagnoses/${id}/actions/github-issue/run`)
          .set('Authorization', alice)
          .send({ confirm: true, previewToken: 'a'.repeat(64) });
        expect(ran.status).toBe(404);
      }
      expect(github.received).toHaveLength(0);
    });

    it('lets only a person run an action, not a service', async () => {
      const { previewToken } = await preview(
        diagnoses.byPullRequest,
        'github-issue',
      );
      const res = await request(server)
        .post(
          `/api/product-os/diagnoses/${diagnoses.byPullRequest.id}/actions/github-issue/run`,
        )
        .set('Authorization', mockCredentials.service.header())
        .send({ confirm: true, previewToken });
      expect(res.status).toBe(403);
      expect(github.received).toHaveLength(0);
    });

    it('rejects an unknown action', async () => {
      const res = await request(server)
        .post(
          `/api/product-os/diagnoses/${diagnoses.byPullRequest.id}/actions/merge-pr/preview`,
        )
        .set('Authorization', alice)
        .send({});
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(
        /action: expected one of github-issue, pr-comment/,
      );
    });
  });

  describe('enabled, without product-os.diagnosis.act', () => {
    it('previews but refuses to run, naming the permission', async () => {
      const { server, stores } = await startBackend({
        enabled: true,
        canAct: false,
        githubUrl: github.baseUrl,
      });
      const { byPullRequest } = await seed(stores);
      const shown = await request(server)
        .post(
          `/api/product-os/diagnoses/${byPullRequest.id}/actions/github-issue/preview`,
        )
        .send({});
      expect(shown.body).toMatchObject({
        enabled: false,
        disabledReason: 'You lack the permission product-os.diagnosis.act',
      });
      const res = await request(server)
        .post(
          `/api/product-os/diagnoses/${byPullRequest.id}/actions/github-issue/run`,
        )
        .send({ confirm: true, previewToken: shown.body.previewToken });
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(/product-os\.diagnosis\.act/);
      expect(github.received).toHaveLength(0);
      expect(await stores.audit.listAudit(10)).toEqual([]);
    });
  });

  describe('disabled (the default)', () => {
    it('says so to the frontend, in the preview, and refuses to run', async () => {
      const { server, stores } = await startBackend({
        enabled: false,
        canAct: true,
        githubUrl: github.baseUrl,
      });
      const { byPullRequest } = await seed(stores);
      const config = await request(server).get('/api/product-os/config');
      expect(config.body).toEqual({ actionsEnabled: false });
      const shown = await request(server)
        .post(
          `/api/product-os/diagnoses/${byPullRequest.id}/actions/github-issue/preview`,
        )
        .send({});
      expect(shown.body).toMatchObject({
        enabled: false,
        target: 'acme/checkout',
      });
      expect(shown.body.disabledReason).toMatch(/disabled/);
      const res = await request(server)
        .post(
          `/api/product-os/diagnoses/${byPullRequest.id}/actions/github-issue/run`,
        )
        .send({ confirm: true, previewToken: shown.body.previewToken });
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(/productOs\.actions\.enabled/);
      expect(github.received).toHaveLength(0);
      expect(await stores.audit.listAudit(10)).toEqual([]);
    });
  });
});
