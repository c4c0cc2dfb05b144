import { mockServices } from '@backstage/backend-test-utils';
import type { ProductOsSource } from '@internal/plugin-product-os-node';
import { readPostHogConfig } from '@internal/plugin-product-os-backend-module-posthog/src/config';
import { createPostHogPulls } from '@internal/plugin-product-os-backend-module-posthog/src/pull/createPostHogPulls';
import {
  createFakePostHogHandler,
  createFakePostHogState,
  FakeEvent,
} from '@internal/plugin-product-os-backend-module-posthog/src/pull/__testUtils__/fakePostHog';
import type { SyncScenario } from './SyncScenario';

/*
 * PostHog: every entity names a project of its own (the most requests a catalog can cost; entities
 * sharing a project share its queries) and two key metrics. Each project has an event of each
 * metric every 3 hours for the last 30 days, and an exception a day, answered by the local
 * PostHog of the module's tests (its query API: auth, `kind`, placeholders, LIMIT/OFFSET).
 */

const KEY = 'phx_benchPersonalKey';
const HOUR_MS = 3_600_000;
const METRICS = ['checkout_completed', 'signup'];
const state = createFakePostHogState();
const handle = createFakePostHogHandler(state, { personalApiKey: KEY });
let seeded = 0;

function seed(projects: number) {
  const now = Date.now();
  for (let p = seeded; p < projects; p++) {
    const events: FakeEvent[] = [];
    for (let h = 1; h <= 30 * 24; h += 3) {
      for (const event of METRICS)
        events.push({
          uuid: `${p}-${h}-${event}`,
          event,
          timestamp: now - h * HOUR_MS,
          distinct_id: `user-${h % 7}`,
          properties: {},
        });
    }
    for (let d = 0; d < 30; d++)
      events.push({
        uuid: `0196${String(p).padStart(4, '0')}-${String(d).padStart(
          4,
          '0',
        )}-7000-8000-000000000000`,
        event: '$exception',
        timestamp: now - d * 24 * HOUR_MS - HOUR_MS,
        distinct_id: `user-${d % 5}`,
        properties: {
          $exception_list: [
            { type: 'TypeError', value: `Cart ${d} has no total` },
          ],
        },
      });
    state.addEvents(String(1000 + p), events);
  }
  seeded = Math.max(seeded, projects);
}

export const postHogScenario: SyncScenario = {
  name: 'posthog',
  entities(n) {
    seed(n);
    return Array.from({ length: n }, (_, i) => ({
      entityRef: `component:default/shop-${i}`,
      annotations: {
        'posthog.com/project-id': String(1000 + i),
        'product-os.io/key-metrics': METRICS.join(','),
      },
    }));
  },
  vendor: (req, res, body) => handle(req, res, Buffer.from(body)),
  createSource({ baseUrl }): ProductOsSource {
    const config = readPostHogConfig(
      mockServices.rootConfig({
        data: {
          productOs: {
            sources: {
              posthog: { pull: { personalApiKey: KEY, host: baseUrl } },
            },
          },
        },
      }),
    );
    return { id: 'posthog', pull: createPostHogPulls(config.pull) };
  },
};
