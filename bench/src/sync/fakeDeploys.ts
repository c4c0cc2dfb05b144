import {
  ChangeEventInput,
  createVendorApi,
  ProductOsSource,
  recordsFor,
} from '@internal/plugin-product-os-node';
import type { SourceId } from '@internal/plugin-product-os-common';
import type { SyncScenario } from './SyncScenario';

/*
 * A stand-in source, so the harness runs before any vendor's scenario exists: a deploy feed with
 * `Link` pagination (100 a page) and a `since` cursor. Each service has 250 deploys of history
 * and one new deploy an hour.
 */

const ANNOTATION = 'deploys.example.com/service';
const HISTORY = 250;
const PAGE = 100;
const HOUR_MS = 3_600_000;
/** The benchmark's stand-in is stored under an id of its own; the store keeps any source id. */
const SOURCE = 'fake-deploys' as SourceId;

interface Deploy {
  id: string;
  service: string;
  sha: string;
  environment: string;
  finished_at: string;
}

const EPOCH = Date.now();

/** The deploys of a service: `HISTORY` hourly ones before the epoch hour, then one per hour. */
function deploysOf(service: string, untilMs: number): Deploy[] {
  const firstHour = Math.floor(EPOCH / HOUR_MS) - HISTORY;
  const lastHour = Math.floor(untilMs / HOUR_MS);
  const deploys: Deploy[] = [];
  for (let hour = firstHour; hour <= lastHour; hour++)
    deploys.push({
      id: `${service}-${hour}`,
      service,
      sha: `${hour.toString(16)}${service.length}`.padEnd(12, '0'),
      environment: 'production',
      finished_at: new Date(hour * HOUR_MS).toISOString(),
    });
  return deploys;
}

export const fakeDeploysScenario: SyncScenario = {
  name: 'fake-deploys',
  entities: n =>
    Array.from({ length: n }, (_, i) => ({
      entityRef: `component:default/service-${i}`,
      // Every 4th pair of entities shares a service, as monorepo components do.
      annotations: { [ANNOTATION]: `svc-${i % 4 === 1 ? i - 1 : i}` },
    })),
  vendor(req, res) {
    const url = new URL(req.url!, 'http://vendor');
    const service = url.searchParams.get('service')!;
    const since = Number(url.searchParams.get('since') ?? 0);
    const offset = Number(url.searchParams.get('offset') ?? 0);
    const until = Number(url.searchParams.get('until'));
    const all = deploysOf(service, until).filter(
      d => Date.parse(d.finished_at) > since,
    );
    const page = all.slice(offset, offset + PAGE);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
    };
    if (offset + PAGE < all.length) {
      url.searchParams.set('offset', String(offset + PAGE));
      headers.link = `<http://${req.headers.host}${url.pathname}?${url.searchParams}>; rel="next"`;
    }
    res.writeHead(200, headers).end(JSON.stringify(page));
  },
  createSource({ baseUrl }): ProductOsSource {
    const api = createVendorApi({ baseUrl: `${baseUrl}/api/v1` });
    return {
      id: SOURCE,
      pull: {
        configured: true,
        pulls: [
          {
            id: 'deploys',
            annotations: [ANNOTATION],
            scopeOf: entity => entity.annotations[ANNOTATION],
            schedule: { frequency: { minutes: 15 }, timeout: { minutes: 10 } },
            scopesPerRun: 500,
            concurrency: 8,
            async pull({ scope, cursor, entities, store, signal, now }) {
              let newest = Number(cursor ?? 0);
              let items = 0;
              for await (const page of api.pages<Deploy[]>('/deploys', {
                query: { service: scope, since: newest, until: now },
                signal,
              })) {
                const changes = page.body.map(
                  (d): Omit<ChangeEventInput, 'entityRef'> => ({
                    source: SOURCE,
                    kind: 'deployment',
                    externalId: d.id,
                    title: `Deploy ${d.sha} to ${d.environment}`,
                    sha: d.sha,
                    environment: d.environment,
                    status: 'success',
                    occurredAt: Date.parse(d.finished_at),
                  }),
                );
                await store.ingest({ source: SOURCE }, writer =>
                  writer.upsertChangeEvents(
                    recordsFor(
                      entities.map(e => e.entityRef),
                      changes,
                    ),
                  ),
                );
                items += changes.length;
                for (const c of changes)
                  newest = Math.max(newest, c.occurredAt);
              }
              return { cursor: String(newest), items };
            },
          },
        ],
      },
    };
  },
};
