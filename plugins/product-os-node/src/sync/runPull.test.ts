import type { AnnotatedEntity } from '../entities';
import type { ProductOsPull, PullRequest, PullResult } from '../pull';
import { MockIngestStore } from '../testUtils/MockIngestStore';
import { mockSourceContext } from '../testUtils/mockSourceContext';
import { runPull } from './runPull';
import { groupByScope } from './scopes';

const SLUG = 'sentry.io/project-slug';

function entity(name: string, slug?: string): AnnotatedEntity {
  return {
    entityRef: `component:default/${name}`,
    annotations: slug ? { [SLUG]: slug } : {},
  };
}

/** A clock that moves only when told to. */
function manualClock(start = Date.UTC(2026, 11, 2, 9)) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

function issuesPull(
  pull: (request: PullRequest) => Promise<PullResult>,
  extra: Partial<ProductOsPull> = {},
): ProductOsPull {
  return {
    id: 'issues',
    annotations: [SLUG],
    scopeOf: e => e.annotations[SLUG],
    schedule: { frequency: { minutes: 15 }, timeout: { minutes: 5 } },
    pull,
    ...extra,
  };
}

function setup() {
  const { context, store } = mockSourceContext();
  return { store, context };
}

/** A promise resolved from outside, to hold pulls in flight without timers. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const settle = () => new Promise(resolve => setImmediate(resolve));

describe('groupByScope', () => {
  it('pulls entities sharing a project once and leaves out those naming none', () => {
    const scopes = groupByScope(
      issuesPull(async () => ({})),
      [
        entity('checkout-api', 'acme/checkout'),
        entity('checkout-worker', 'acme/checkout'),
        entity('search', 'acme/search'),
        entity('no-annotation'),
        entity('checkout-api', 'acme/checkout'),
      ],
    );
    expect(
      [...scopes.entries()].map(([s, es]) => [s, es.map(e => e.entityRef)]),
    ).toEqual([
      [
        'acme/checkout',
        ['component:default/checkout-api', 'component:default/checkout-worker'],
      ],
      ['acme/search', ['component:default/search']],
    ]);
  });
});

describe('runPull', () => {
  it('hands each scope its entities, cursor and the run clock, and records the new cursor and items', async () => {
    const { store, context } = setup();
    const clock = manualClock();
    const requests: Omit<PullRequest, 'store' | 'logger' | 'signal'>[] = [];
    const pull = issuesPull(async ({ scope, cursor, entities, now }) => {
      requests.push({ scope, cursor, entities, now });
      clock.advance(1_500);
      return {
        cursor: `${scope}@${(Number(cursor?.split('@')[1]) || 0) + 1}`,
        items: 7,
      };
    });
    const entities = [entity('checkout-api', 'acme/checkout')];
    const first = await runPull({
      source: 'sentry',
      pull,
      entities,
      store: context.store,
      logger: context.logger,
      now: clock.now,
    });
    expect(first.pulled).toMatchObject([
      {
        scope: 'acme/checkout',
        outcome: 'succeeded',
        items: 7,
        durationMs: 1_500,
      },
    ]);
    const started = Date.UTC(2026, 11, 2, 9);
    expect(requests).toEqual([
      { scope: 'acme/checkout', cursor: undefined, entities, now: started },
    ]);
    expect(await store.getSyncState('sentry', 'issues:acme/checkout')).toEqual({
      source: 'sentry',
      scope: 'issues:acme/checkout',
      cursor: 'acme/checkout@1',
      lastSuccessAt: started + 1_500,
      lastError: undefined,
      items: 7,
      durationMs: 1_500,
    });

    await runPull({
      source: 'sentry',
      pull,
      entities,
      store: context.store,
      logger: context.logger,
      now: clock.now,
    });
    expect(requests[1]).toMatchObject({
      cursor: 'acme/checkout@1',
      now: started + 1_500,
    });
    expect(
      (await store.getSyncState('sentry', 'issues:acme/checkout'))?.cursor,
    ).toBe('acme/checkout@2');
  });

  it('records a failing scope with its reason and old cursor, and pulls the others', async () => {
    const { store, context } = setup();
    await store.saveSyncState({
      source: 'sentry',
      scope: 'issues:acme/search',
      at: 1,
      cursor: 'c-41',
      items: 3,
    });
    const pull = issuesPull(async ({ scope }) => {
      if (scope === 'acme/search')
        throw new Error('Sentry answered 500 Internal Server Error');
      return { cursor: 'c-1', items: 2 };
    });
    const report = await runPull({
      source: 'sentry',
      pull,
      entities: [
        entity('search', 'acme/search'),
        entity('checkout', 'acme/checkout'),
        entity('cart', 'acme/cart'),
      ],
      store: context.store,
      logger: context.logger,
      now: () => 100,
    });
    expect(report.pulled.map(o => [o.scope, o.outcome]).sort()).toEqual([
      ['acme/cart', 'succeeded'],
      ['acme/checkout', 'succeeded'],
      ['acme/search', 'failed'],
    ]);
    expect(
      await store.getSyncState('sentry', 'issues:acme/search'),
    ).toMatchObject({
      cursor: 'c-41',
      lastSuccessAt: 1,
      lastError: 'Sentry answered 500 Internal Server Error',
      lastErrorAt: 100,
      items: 3,
    });
    expect(
      (await store.getSyncState('sentry', 'issues:acme/cart'))?.cursor,
    ).toBe('c-1');
  });

  it('pulls at most scopesPerRun scopes, never pulled first, then least recently pulled', async () => {
    const { store, context } = setup();
    const clock = manualClock(1_000);
    const order: string[] = [];
    const pull = issuesPull(
      async ({ scope }) => {
        order.push(scope);
        clock.advance(10);
        return {};
      },
      { scopesPerRun: 2, concurrency: 1 },
    );
    // `b` was pulled long ago and `a` failed recently; `c` and `d` never were.
    await store.saveSyncState({
      source: 'sentry',
      scope: 'issues:p/b',
      at: 10,
    });
    await store.saveSyncState({
      source: 'sentry',
      scope: 'issues:p/a',
      at: 500,
      error: 'x',
    });
    const entities = ['a', 'b', 'c', 'd'].map(s => entity(s, `p/${s}`));
    const run = () =>
      runPull({
        source: 'sentry',
        pull,
        entities,
        store: context.store,
        logger: context.logger,
        now: clock.now,
      });
    const first = await run();
    expect(order).toEqual(['p/c', 'p/d']);
    expect(first).toMatchObject({ scopes: 4, waiting: 2 });
    await run();
    expect(order).toEqual(['p/c', 'p/d', 'p/b', 'p/a']);
    await run();
    expect(order.slice(4)).toEqual(['p/c', 'p/d']);
  });

  it('keeps at most `concurrency` scopes in flight', async () => {
    const { context } = setup();
    const holds = new Map<string, ReturnType<typeof deferred<PullResult>>>();
    let inFlight = 0;
    let maxInFlight = 0;
    const pull = issuesPull(
      async ({ scope }) => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        const hold = deferred<PullResult>();
        holds.set(scope, hold);
        try {
          return await hold.promise;
        } finally {
          inFlight -= 1;
        }
      },
      { concurrency: 3, scopesPerRun: 100 },
    );
    const entities = Array.from({ length: 10 }, (_, i) =>
      entity(`e${i}`, `p/${i}`),
    );
    const running = runPull({
      source: 'sentry',
      pull,
      entities,
      store: context.store,
      logger: context.logger,
    });
    // Release the pulls one at a time, in the order they started.
    const released = new Set<string>();
    while (released.size < 10) {
      await settle();
      expect(inFlight).toBeLessThanOrEqual(3);
      const next = [...holds.keys()].find(s => !released.has(s));
      if (!next) continue;
      released.add(next);
      holds.get(next)!.resolve({ items: 1 });
    }
    const report = await running;
    expect(maxInFlight).toBe(3);
    expect(report.pulled).toHaveLength(10);
  });

  it('stops promptly when aborted: queued scopes never start, those in flight are recorded as cancelled with their cursor', async () => {
    const { store, context } = setup();
    for (let i = 0; i < 6; i++)
      await store.saveSyncState({
        source: 'sentry',
        scope: `issues:p/${i}`,
        at: 1 + i,
        cursor: `kept-${i}`,
      });
    const started: string[] = [];
    // A pull that ignores the signal and never finishes.
    const pull = issuesPull(
      async ({ scope }) => {
        started.push(scope);
        return new Promise<PullResult>(() => {});
      },
      { concurrency: 2 },
    );
    const controller = new AbortController();
    const running = runPull({
      source: 'sentry',
      pull,
      entities: Array.from({ length: 6 }, (_, i) => entity(`e${i}`, `p/${i}`)),
      store: context.store,
      logger: context.logger,
      signal: controller.signal,
      now: () => 5_000,
    });
    while (started.length < 2) await settle();
    controller.abort();
    const report = await running;
    expect(report).toMatchObject({ aborted: true, scopes: 6, waiting: 4 });
    expect(report.pulled.map(o => o.outcome)).toEqual([
      'cancelled',
      'cancelled',
    ]);
    expect(started).toEqual(['p/0', 'p/1']);
    const state = await store.getSyncState('sentry', 'issues:p/0');
    expect(state).toMatchObject({ cursor: 'kept-0', lastErrorAt: 5_000 });
    expect(
      (await store.getSyncState('sentry', 'issues:p/2'))?.lastError,
    ).toBeUndefined();
    expect(state?.lastError).toMatch(/Cancelled/);
  });

  it('pulls only the named scopes for a sync now, whatever scopesPerRun says', async () => {
    const { context } = setup();
    const pulled: string[] = [];
    const pull = issuesPull(
      async ({ scope }) => {
        pulled.push(scope);
        return {};
      },
      { scopesPerRun: 1 },
    );
    const report = await runPull({
      source: 'sentry',
      pull,
      entities: ['a', 'b', 'c'].map(s => entity(s, `p/${s}`)),
      store: context.store,
      logger: context.logger,
      onlyScopes: ['p/c', 'p/a'],
    });
    expect(pulled.sort()).toEqual(['p/a', 'p/c']);
    expect(report.waiting).toBe(0);
  });

  it('records a run whose state cannot be saved without failing the others', async () => {
    const store = new MockIngestStore();
    const save = store.saveSyncState.bind(store);
    store.saveSyncState = async update => {
      if (update.scope === 'issues:p/a') throw new Error('database is locked');
      return save(update);
    };
    const { context } = mockSourceContext({ store });
    const report = await runPull({
      source: 'sentry',
      pull: issuesPull(async () => ({ cursor: 'n' })),
      entities: [entity('a', 'p/a'), entity('b', 'p/b')],
      store: context.store,
      logger: context.logger,
    });
    expect(report.pulled).toHaveLength(2);
    expect((await store.getSyncState('sentry', 'issues:p/b'))?.cursor).toBe(
      'n',
    );
    expect(await store.getSyncState('sentry', 'issues:p/a')).toBeUndefined();
  });
});
