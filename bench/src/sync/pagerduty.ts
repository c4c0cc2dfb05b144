import { mockServices } from '@backstage/backend-test-utils';
import type { ProductOsSource } from '@internal/plugin-product-os-node';
import { readPagerDutyConfig } from '@internal/plugin-product-os-backend-module-pagerduty/src/config';
import { createPagerDutyPull } from '@internal/plugin-product-os-backend-module-pagerduty/src/pull/createIncidentsPull';
import { FakePagerDuty } from '@internal/plugin-product-os-backend-module-pagerduty/src/pull/__testUtils__/FakePagerDuty';
import {
  restChangeEvent,
  restIncident,
  restLogEntry,
} from '@internal/plugin-product-os-backend-module-pagerduty/src/pull/__testUtils__/restFixtures';
import type { SyncScenario } from './SyncScenario';

/*
 * PagerDuty: every entity names a service of its own (the most requests a catalog can cost;
 * entities sharing services share their requests). Each service had an incident every two weeks
 * over the 90 days back-filled (triggered, acknowledged, a note, resolved) and has one open now,
 * and two change events, answered by the local PagerDuty of the module's tests (paths, documented
 * query parameters, offset pagination, `Token token=` auth) with PagerDuty's budget of 960
 * requests a minute per key: past it, 429 with `ratelimit-reset`.
 */

const TOKEN = 'u+benchPagerDutyKey';
const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
const RESOLVED_PER_SERVICE = 6;
const BY: [string, string] = ['PXPGF42', 'Earline Greenholt'];

const server = new FakePagerDuty({
  token: TOKEN,
  now: () => Date.now(),
  checkAnswers: false,
});
let seeded = 0;

function serviceId(i: number) {
  return `PS${String(i).padStart(6, '0')}`;
}

function addIncident(
  service: string,
  id: string,
  createdAt: number,
  resolved: boolean,
) {
  const ackAt = createdAt + 5 * MINUTE_MS;
  const resolvedAt = createdAt + 40 * MINUTE_MS;
  server.incidents.push(
    restIncident({
      id,
      serviceId: service,
      createdAt,
      status: resolved ? 'resolved' : 'acknowledged',
      statusAt: resolved ? resolvedAt : ackAt,
    }),
  );
  const entry = (
    suffix: string,
    type: Parameters<typeof restLogEntry>[0]['type'],
    at: number,
    extra: Partial<Parameters<typeof restLogEntry>[0]> = {},
  ) =>
    restLogEntry({
      id: `${id}${suffix}`,
      incidentId: id,
      serviceId: service,
      type,
      at,
      ...extra,
    });
  server.logEntries.set(id, [
    entry('T', 'trigger', createdAt),
    entry('N', 'notify', createdAt + MINUTE_MS),
    entry('A', 'acknowledge', ackAt, { by: BY }),
    entry('O', 'annotate', ackAt + MINUTE_MS, {
      by: BY,
      note: 'Rolling back the last deploy',
    }),
    ...(resolved ? [entry('R', 'resolve', resolvedAt, { by: BY })] : []),
  ]);
}

function seed(services: number) {
  const now = Date.now();
  for (let s = seeded; s < services; s++) {
    const service = serviceId(s);
    for (let k = 0; k < RESOLVED_PER_SERVICE; k++)
      addIncident(
        service,
        `${service}I${k}`,
        now - (85 - k * 14) * DAY_MS - (s % 600) * MINUTE_MS,
        true,
      );
    addIncident(service, `${service}OPEN`, now - 30 * MINUTE_MS, false);
    server.changeEvents.set(service, [
      restChangeEvent({
        id: `${service}C1`,
        serviceId: service,
        at: now - 20 * DAY_MS,
        summary: 'Deploy checkout 4f2a9c1',
        sha: '4f2a9c1',
      }),
      restChangeEvent({
        id: `${service}C2`,
        serviceId: service,
        at: now - 2 * DAY_MS,
        summary: 'Scale checkout to 6 replicas',
      }),
    ]);
  }
  seeded = Math.max(seeded, services);
}

export const pagerDutyScenario: SyncScenario = {
  name: 'pagerduty',
  entities(n) {
    seed(n);
    return Array.from({ length: n }, (_, i) => ({
      entityRef: `component:default/service-${i}`,
      annotations: { 'pagerduty.com/service-id': serviceId(i) },
    }));
  },
  vendor: (req, res) => server.handle(req, res),
  createSource({ baseUrl }): ProductOsSource {
    const config = readPagerDutyConfig(
      mockServices.rootConfig({
        data: {
          productOs: {
            sources: { pagerduty: { pull: { token: TOKEN, baseUrl } } },
          },
        },
      }),
    );
    return { id: 'pagerduty', pull: createPagerDutyPull(config.pull) };
  },
  // One caught-up run (the pull runs every 10 minutes), scaled to an hour.
  steadyHours: 1 / 6,
};
