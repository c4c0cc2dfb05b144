import { TestDatabases } from '@backstage/backend-test-utils';
import {
  DemoBackend,
  eventually,
  startDemoBackend,
} from './__testUtils__/demoBackend';
import { demoServices } from './product/services';
import { BAD_PULL_REQUEST } from './scenario/badDeploy';

// Days of history go through the real SDKs and webhooks first; then the scripted deploy plays.
// That is CPU-bound: a minute on an idle machine, over three with the load at 11 on 2 cores. The
// waits below end on what they wait for; these limits only catch a hang.
jest.setTimeout(900_000);

/** The parts of the read API's answers this test looks at. */
interface ChangeEvent {
  id: number;
  entityRef: string;
  kind: string;
  sha?: string;
  number?: number;
  status?: string;
  occurredAt: string;
  finishedAt?: string;
}
interface Evidence {
  kind: string;
  weight: number;
  url?: string;
  facts?: Record<string, string | number | boolean>;
}
interface Diagnosis {
  id: number;
  entityRef: string;
  summary: string;
  createdAt: string;
  evidence: Evidence[];
  suspects: Array<{ rank: number; change: ChangeEvent; evidence: Evidence[] }>;
}

/** How long after the deploy went live the diagnoses must be there. */
/** Only catches a hang: the agent runs on signals alone here (see demoBackend.ts). */
const HANG_GUARD_MS = 600_000;

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

describe.each(databases.eachSupportedId())('The demo on %s', databaseId => {
  let demo: DemoBackend;
  /** The deployment of PR #812 to checkout-api, once the scenario has shipped it. */
  let badDeploy: ChangeEvent;

  beforeAll(async () => {
    demo = await startDemoBackend(await databases.init(databaseId));
    // The scenario starts once the history is sent, so its deploy marks the end of the history.
    badDeploy = await eventually(
      'the deploy of PR #812 to checkout-api',
      async () => {
        const changes = await demo.entityList<ChangeEvent>(
          'checkout-api',
          'changes?window=24h&kind=pull_request&kind=deployment&limit=500',
        );
        const pr = changes.find(
          c =>
            c.kind === 'pull_request' && c.number === BAD_PULL_REQUEST.number,
        );
        return changes.find(
          c =>
            c.kind === 'deployment' &&
            c.sha === pr?.sha &&
            c.status === 'success',
        );
      },
      { timeoutMs: 840_000, intervalMs: 2000 },
    );
  });

  afterAll(async () => {
    await demo?.backend.stop();
  });

  it("has the web shop's history: errors, deploys, resolved incidents and metrics", async () => {
    const withoutErrors: string[] = [];
    for (const service of demoServices) {
      const groups = await demo.entityList<{ count: number }>(
        service.name,
        'errors?window=7d',
      );
      if (!groups.some(group => group.count > 0))
        withoutErrors.push(service.name);
    }
    expect(withoutErrors).toEqual([]);

    const historyBefore = Date.parse(badDeploy.occurredAt) - 10 * 60_000;
    const deploys: ChangeEvent[] = [];
    const incidents: Array<{ status: string; resolvedAt?: string }> = [];
    for (const service of demoServices) {
      deploys.push(
        ...(await demo.entityList<ChangeEvent>(
          service.name,
          'changes?window=7d&kind=deployment',
        )),
      );
      incidents.push(
        ...(await demo.entityList(service.name, 'incidents?window=7d')),
      );
    }
    expect(
      deploys.filter(d => Date.parse(d.occurredAt) < historyBefore).length,
    ).toBeGreaterThan(0);
    const resolved = incidents.filter(i => i.status === 'resolved');
    expect(resolved.length).toBeGreaterThan(0);
    expect(resolved.every(i => i.resolvedAt)).toBe(true);

    const metrics = await demo.entityList<{ key: string; total: number }>(
      'checkout-api',
      'metrics?window=7d',
    );
    expect(Object.fromEntries(metrics.map(m => [m.key, m.total > 0]))).toEqual(
      expect.objectContaining({
        checkout_started: true,
        checkout_completed: true,
      }),
    );
  });

  it('diagnoses PR #812 on checkout-api, and the storefront incident downstream, woken by what the demo sends', async () => {
    const liveAt = Date.parse(badDeploy.finishedAt ?? badDeploy.occurredAt);
    const naming = (diagnoses: Diagnosis[]) =>
      diagnoses.find(d => d.suspects[0]?.change.id === badDeploy.id);
    const waitFor = (name: string) =>
      eventually(
        `a diagnosis on ${name} whose first suspect is the deploy of PR #812`,
        async () => naming(await demo.entityList<Diagnosis>(name, 'diagnoses')),
        { timeoutMs: HANG_GUARD_MS },
      );

    const checkout = await waitFor('checkout-api');
    await waitFor('storefront');
    // The storefront pages before checkout-api's errors add up to trouble of its own, so its
    // diagnosis may be written first without them; the agent rewrites it (same diagnosis, same
    // creation time) once checkout-api's trouble is recorded. Wait for that, not for a time.
    const storefront = await eventually(
      "the storefront's diagnosis showing checkout-api's trouble",
      async () => {
        const diagnosis = naming(
          await demo.entityList<Diagnosis>('storefront', 'diagnoses'),
        );
        const kinds = diagnosis?.evidence.map(e => e.kind) ?? [];
        if (kinds.includes('dependency')) return diagnosis;
        throw new Error(`its evidence is ${JSON.stringify(kinds)}`);
      },
      { timeoutMs: 120_000 },
    );

    const [suspect] = checkout.suspects;
    expect(suspect.change).toMatchObject({
      entityRef: 'component:default/checkout-api',
      kind: 'deployment',
    });
    const overlap = suspect.evidence.find(e => e.kind === 'code_overlap');
    expect(overlap).toMatchObject({
      url: `https://github.com/acme/checkout-api/pull/${BAD_PULL_REQUEST.number}`,
    });
    expect(overlap!.weight).toBeGreaterThan(0);
    expect(overlap!.facts?.framesMatched).toBeGreaterThan(0);
    expect(checkout.summary).toContain(`#${BAD_PULL_REQUEST.number}`);

    expect(storefront.entityRef).toBe('component:default/storefront');
    expect(storefront.suspects[0].change.sha).toBe(badDeploy.sha);
    expect(storefront.evidence.map(e => e.kind)).toEqual(
      expect.arrayContaining(['incident', 'dependency']),
    );
    // How soon is a figure of the machine, not a property of the code: the browser test prints
    // it. What the code guarantees is the order: signals, not the schedule, wrote both after
    // the deploy went live.
    for (const diagnosis of [checkout, storefront]) {
      expect(Date.parse(diagnosis.createdAt)).toBeGreaterThanOrEqual(liveAt);
    }
  });
});
