/*
 * The benchmarks' backend process: the Product OS plugin, the Sentry module and a catalog mock on
 * a real database (SQLite in a temporary file, or PostgreSQL), listening on a random loopback
 * port. Started by ingest.ts (one entity) and read.ts (BENCH_ENTITIES of them), which talk to it
 * over IPC.
 */
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import productOsPlugin from '@internal/plugin-product-os-backend';
import sentryModule from '@internal/plugin-product-os-backend-module-sentry';
import crypto from 'crypto';
import knexFactory, { Knex } from 'knex';
import type { BenchProject } from './backendProcess';
import { answerServerMessages } from './serverMessages';

/**
 * One Sentry project per entity. The first is the ingest benchmark's `checkout-api`; the others
 * are `service-02`, `service-03`, ...
 */
function benchProjects(count: number): BenchProject[] {
  return Array.from({ length: count }, (_, i) =>
    i === 0
      ? {
          id: '4505',
          publicKey: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
          slug: 'checkout-api',
        }
      : {
          id: String(4505 + i),
          publicKey: crypto
            .createHash('md5')
            .update(`bench-${i}`)
            .digest('hex'),
          slug: `service-${String(i + 1).padStart(2, '0')}`,
        },
  );
}

async function main() {
  const database = JSON.parse(process.env.BENCH_DATABASE!);
  const projects = benchProjects(Number(process.env.BENCH_ENTITIES ?? 1));
  const backend = await startTestBackend({
    features: [
      productOsPlugin,
      sentryModule,
      catalogServiceMock.factory({
        entities: projects.map(project => ({
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: {
            name: project.slug,
            namespace: 'default',
            annotations: { 'sentry.io/project-slug': project.slug },
          },
          spec: {
            type: 'service',
            lifecycle: 'production',
            owner: 'group:default/payments',
          },
        })),
      }),
      mockServices.database.factory(),
      mockServices.rootConfig.factory({
        data: {
          backend: { database },
          productOs: {
            // The agent would compete for the CPU being measured.
            agent: { enabled: false },
            sources: {
              sentry: { projects, rateLimitPerMinute: 1_000_000 },
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

  answerServerMessages({
    async counts() {
      const [{ events }] = await counter('error_event_ids').count({
        events: '*',
      });
      const [{ counted }] = await counter('error_groups').sum({
        counted: 'event_count',
      });
      const [{ groups }] = await counter('error_groups').count({ groups: '*' });
      return {
        events: Number(events),
        counted: Number(counted ?? 0),
        groups: Number(groups),
      };
    },
    async stop() {
      await counter.destroy();
      await backend.stop();
    },
  });
  process.send!({
    cmd: 'ready',
    port: backend.server.port(),
    projects,
    rssBytes: process.memoryUsage().rss,
  });
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
