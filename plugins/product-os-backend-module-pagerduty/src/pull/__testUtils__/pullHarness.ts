import type {
  AnnotatedEntity,
  ProductOsIngestStore,
  PullResult,
} from '@internal/plugin-product-os-node';
import { mockSourceContext } from '@internal/plugin-product-os-node/testUtils';
import { createPagerDutyPull } from '../createIncidentsPull';
import { FakePagerDuty } from './FakePagerDuty';

export const TOKEN = 'u+PAGERDUTYTESTTOKEN';

/** A clock that moves only when the client sleeps; the sleeps are recorded. */
export function manualClock(start: number): {
  at: number;
  sleeps: number[];
  now(): number;
  sleep(ms: number): Promise<void>;
} {
  const clock = {
    at: start,
    sleeps: [] as number[],
    now: () => clock.at,
    async sleep(ms: number) {
      clock.sleeps.push(ms);
      clock.at += ms;
    },
  };
  return clock;
}

/**
 * The PagerDuty pull against a {@link FakePagerDuty}, writing through the test kit's host tail
 * (the in-memory store, or the real one when given), called the way the host calls it.
 */
export async function pullHarness<S extends ProductOsIngestStore>(options: {
  entities: AnnotatedEntity[];
  now: number;
  store?: S;
  backfillDays?: number;
}) {
  const clock = manualClock(options.now);
  const server = new FakePagerDuty({ token: TOKEN, now: clock.now });
  const baseUrl = await server.start();
  const kit = mockSourceContext<S>({
    entities: options.entities,
    store: options.store,
  });
  // A request the server holds is cut off as its deadline would cut it (no wall clock in tests).
  let held: AbortController[] = [];
  server.onHang = () => held.forEach(c => c.abort(new Error('timed out')));
  const source = createPagerDutyPull(
    {
      token: TOKEN,
      baseUrl,
      backfillDays: options.backfillDays ?? 90,
      requestTimeoutMs: 30_000,
    },
    {
      now: clock.now,
      sleep: ms => clock.sleep(ms),
      fetch: (input, init) => {
        const controller = new AbortController();
        held = [...held.filter(c => !c.signal.aborted), controller];
        const signals = [controller.signal, init?.signal].filter(
          (s): s is AbortSignal => Boolean(s),
        );
        return fetch(input, { ...init, signal: AbortSignal.any(signals) });
      },
    },
  );
  if (!source.configured) throw new Error('the pull is configured');
  const [pull] = source.pulls;

  /** Pulls every scope of the entities once, as one host run would, with the cursors given. */
  async function pullAll(cursors: Record<string, string | undefined> = {}) {
    const scopes = new Map<string, AnnotatedEntity[]>();
    for (const entity of options.entities) {
      const scope = pull.scopeOf(entity);
      if (scope) scopes.set(scope, [...(scopes.get(scope) ?? []), entity]);
    }
    const results: Record<string, PullResult> = {};
    for (const [scope, entities] of scopes) {
      results[scope] = await pull.pull({
        scope,
        entities,
        cursor: cursors[scope],
        store: kit.context.store,
        logger: kit.context.logger,
        signal: new AbortController().signal,
        now: clock.now(),
      });
    }
    return results;
  }

  return { ...kit, server, clock, pull, pullAll, stop: () => server.stop() };
}
