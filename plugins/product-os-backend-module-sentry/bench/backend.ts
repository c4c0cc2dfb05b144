/*
 * The benchmark's backend process: the Product OS plugin, the Sentry module and a catalog mock on
 * a real database (SQLite in a temporary file, or PostgreSQL), listening on a random loopback
 * port. Started by ingest.js, which talks to it over IPC.
 */
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import productOsPlugin from '@internal/plugin-product-os-backend';
import knexFactory, { Knex } from 'knex';
import sentryModule from '../src';

const PROJECT = {
  id: '4505',
  publicKey: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
  slug: 'checkout-api',
};

async function main() {
  const database = JSON.parse(process.env.BENCH_DATABASE!);
  const backend = await startTestBackend({
    features: [
      productOsPlugin,
      sentryModule,
      catalogServiceMock.factory({
        entities: [
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: {
              name: 'checkout-api',
              namespace: 'default',
              annotations: { 'sentry.io/project-slug': PROJECT.slug },
            },
            spec: {
              type: 'service',
              lifecycle: 'production',
              owner: 'group:default/payments',
            },
          },
        ],
      }),
      mockServices.database.factory(),
      mockServices.rootConfig.factory({
        data: {
          backend: { database },
          productOs: {
            // The agent would compete for the CPU being measured.
            agent: { enabled: false },
            sources: {
              sentry: { projects: [PROJECT], rateLimitPerMinute: 1_000_000 },
            },
          },
        },
      }),
    ],
  });

  // A second connection, only to count what landed.
  const counter: Knex =
    database.client === 'pg'
      ? knexFactory({
          client: 'pg',
          // Backstage names a plugin's database `<prefix><pluginId>`.
          connection: `${database.connection}/${database.prefix}product-os`,
        })
      : knexFactory({
          client: 'better-sqlite3',
          connection: {
            filename: `${database.connection.directory}/product-os.sqlite`,
          },
          useNullAsDefault: true,
        });

  process.on('message', async (message: any) => {
    if (message.cmd === 'stats') {
      const [{ events }] = await counter('error_event_ids').count({
        events: '*',
      });
      const [{ counted }] = await counter('error_groups').sum({
        counted: 'event_count',
      });
      const [{ groups }] = await counter('error_groups').count({ groups: '*' });
      process.send!({
        cmd: 'stats',
        events: Number(events),
        counted: Number(counted ?? 0),
        groups: Number(groups),
        maxRssBytes: process.resourceUsage().maxRSS * 1024,
        heapUsedBytes: heapUsedAfterGc(),
      });
    } else if (message.cmd === 'stop') {
      await counter.destroy();
      await backend.stop();
      process.exit(0);
    }
  });
  process.send!({
    cmd: 'ready',
    port: backend.server.port(),
    projectId: PROJECT.id,
    publicKey: PROJECT.publicKey,
    rssBytes: process.memoryUsage().rss,
  });
}

/** The live heap, measured after a full collection when the process runs with --expose-gc. */
function heapUsedAfterGc(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

main().catch(error => {
  // eslint-disable-next-line no-console
  console.error(error);
  process.exit(1);
});
