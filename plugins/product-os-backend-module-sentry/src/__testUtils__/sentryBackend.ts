import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { metricsServiceMock } from '@backstage/backend-test-utils/alpha';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { ErrorGroup } from '@internal/plugin-product-os-common';
// The module is tested inside the real Product OS plugin, with its store and read API.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import productOsPlugin from '@internal/plugin-product-os-backend';
import type { Knex } from 'knex';
import request from 'supertest';
import { ENTITIES, PROJECTS, WEBHOOK_SECRET } from '../__fixtures__/projects';
import sentryModule from '../index';

export { ENTITIES, PROJECTS, WEBHOOK_SECRET };

/*
 * A whole backend for the module's tests: the Product OS plugin with its real store on a test
 * database, this module, and a catalog of three services that claim Sentry projects.
 */

export async function startSentryBackend(options: {
  knex: Knex;
  sentry?: Record<string, unknown>;
}) {
  const metrics = metricsServiceMock.mock();
  const backend = await startTestBackend({
    features: [
      productOsPlugin,
      sentryModule,
      catalogServiceMock.factory({ entities: ENTITIES }),
      mockServices.database.factory({ knex: options.knex }),
      mockServices.rootConfig.factory({
        data: {
          productOs: {
            sources: {
              sentry: {
                projects: Object.values(PROJECTS),
                webhookSecret: WEBHOOK_SECRET,
                ...options.sentry,
              },
            },
          },
        },
      }),
      metrics.factory,
    ],
  });
  const server = backend.server;

  return {
    backend,
    server,
    port: server.port(),
    /** The DSN an SDK of `project` would be given. */
    dsn(project: { id: string; publicKey: string }) {
      return `http://${
        project.publicKey
      }@127.0.0.1:${server.port()}/api/product-os/sentry/${project.id}`;
    },
    /** The entity's error groups as the read API serves them. */
    async errorGroups(entityName: string): Promise<ErrorGroup[]> {
      const res = await request(server)
        .get(
          `/api/product-os/entities/component/default/${entityName}/errors?window=24h`,
        )
        .set('Authorization', mockCredentials.user.header());
      expect(res.status).toBe(200);
      return res.body.items;
    },
    /** What was added to a counter of the metrics service, as [value, attributes] pairs. */
    counted(name: string): [number, Record<string, unknown>][] {
      const index = metrics.createCounter.mock.calls.findIndex(
        ([n]) => n === name,
      );
      if (index < 0) return [];
      const counter = metrics.createCounter.mock.results[index].value;
      return counter.add.mock.calls;
    },
  };
}

export type SentryBackend = Awaited<ReturnType<typeof startSentryBackend>>;
