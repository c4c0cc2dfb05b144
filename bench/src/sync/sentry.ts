import { mockServices } from '@backstage/backend-test-utils';
import { SENTRY_PROJECT_SLUG_ANNOTATION } from '@internal/plugin-product-os-common';
import type { ProductOsSource } from '@internal/plugin-product-os-node';
import { createSentryPullSource } from '@internal/plugin-product-os-backend-module-sentry/src/pull/createSentryPull';
import {
  SentryTestServer,
  TestIssue,
  TestRelease,
} from '@internal/plugin-product-os-backend-module-sentry/src/pull/__testUtils__/SentryTestServer';
import type { SyncScenario } from './SyncScenario';

/*
 * Sentry: every entity names a project of its own in one organization (the most requests a
 * catalog can cost; entities sharing a project share its requests). Each project has 20 issues
 * with events over the 14 days back-filled, 5 of them first seen in those days, each issue an
 * event burst every 6 hours (staggered, and going on after the back-fill, so a steady-state run
 * finds the issues of its hour), and a release a day with 3 commits and one deploy. Answered by
 * the local Sentry of the module's tests (paths, documented query parameters, `Link` cursors with
 * `results`) with Sentry's documented default rate limit: 40 requests a second per endpoint and
 * caller in fixed windows, 429 past it with `X-Sentry-Rate-Limit-Reset`.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const ISSUES_PER_PROJECT = 20;
const NEW_ISSUES_PER_PROJECT = 5;
const BURST_EVERY_HOURS = 6;
/** Hours of events after the back-fill began, for the steady state to find. */
const HOURS_AHEAD = 4;

const server = new SentryTestServer({
  checkAnswers: false,
  recordRequests: false,
  rateLimit: { limit: 40, windowSeconds: 1, clock: () => Date.now() },
});
let seeded = 0;
let clock = Date.now;

function slugOf(p: number) {
  return `svc-${p}`;
}

function seed(projects: number) {
  const now = Date.now();
  const currentHour = Math.floor(now / HOUR_MS) * HOUR_MS;
  for (let p = Math.max(seeded, 1); p <= projects; p++) {
    const slug = slugOf(p);
    const issues: TestIssue[] = [];
    for (let k = 0; k < ISSUES_PER_PROJECT; k++) {
      const hours = new Map<number, number>();
      for (
        let h = -HOURS_AHEAD + (k % BURST_EVERY_HOURS);
        h < 14 * 24;
        h += BURST_EVERY_HOURS
      )
        hours.set(currentHour - h * HOUR_MS, 1 + ((k + h) % 5));
      const id = String(7_000_000_000 + p * 100 + k);
      issues.push({
        id,
        title: `TypeError: cart ${k} has no total`,
        culprit: `computeTotal(src/cart/total${k}.ts)`,
        level: k % 4 === 0 ? 'warning' : 'error',
        status: k % 7 === 0 ? 'resolved' : 'unresolved',
        firstSeen:
          k < NEW_ISSUES_PER_PROJECT
            ? now - (k + 1) * 2 * DAY_MS
            : now - 60 * DAY_MS,
        firstRelease: `${slug}@1.0.${k}`,
        hours,
        latestEventId: id.padStart(32, 'e'),
      });
    }
    const releases: TestRelease[] = [];
    for (let d = 0; d < 14; d++) {
      const created = now - d * DAY_MS - 3 * HOUR_MS;
      releases.push({
        version: `${slug}@1.0.${d}`,
        dateCreated: created,
        commits: [0, 1, 2].map(c => ({
          id: `${p.toString(16)}${d.toString(16)}${c}`.padEnd(40, 'a'),
          message: `Change ${c} of release ${d}`,
          dateCreated: created - (c + 1) * HOUR_MS,
        })),
        deploys: [
          {
            id: `${p}-${d}`,
            environment: 'production',
            dateFinished: created + 10 * 60_000,
          },
        ],
      });
    }
    server.addProject({ id: String(10_000 + p), slug, issues, releases });
  }
  seeded = Math.max(seeded, projects + 1);
}

export const sentryScenario: SyncScenario = {
  name: 'sentry',
  // Three hours: the first after the back-fill still samples the issues it left unsampled.
  steadyHours: 3,
  entities(n) {
    seed(n);
    return Array.from({ length: n }, (_, i) => ({
      entityRef: `component:default/svc-${i + 1}`,
      annotations: {
        [SENTRY_PROJECT_SLUG_ANNOTATION]: `${server.organization}/${slugOf(
          i + 1,
        )}`,
      },
    }));
  },
  vendor(req, res) {
    // The issues' 24-hour stats end at the pulls' current hour.
    server.now = clock();
    server.handle(req, res);
  },
  createSource({ baseUrl, now }): ProductOsSource {
    clock = now;
    return {
      id: 'sentry',
      pull: createSentryPullSource(
        mockServices.rootConfig({
          data: {
            productOs: {
              sources: {
                sentry: { pull: { token: server.token, baseUrl } },
              },
            },
          },
        }),
      ),
    };
  },
};
