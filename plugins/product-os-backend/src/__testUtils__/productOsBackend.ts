import type {
  BackendFeature,
  SchedulerService,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockServices,
  startTestBackend,
  type TestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { JsonObject } from '@backstage/types';
import type { Knex } from 'knex';
import productOsPlugin from '..';
import { databasePerPlugin } from './databasePerPlugin';
import { permissionsDenying } from './permissionsDenying';

/** What a route test's backend is made of, beside the Product OS plugin itself. */
export interface ProductOsBackendOptions {
  /** The Product OS database, or one database per plugin id (`product-os`, `notifications`, ...). */
  database: Knex | Record<string, Knex>;
  /** The catalog: entities everyone sees, or a catalog of the test's own (`catalogHiding`). */
  catalog?: Entity[] | ServiceFactory;
  /** The permissions a user is refused (by permission name and user ref); all others allowed. */
  denies?: (permission: string, userEntityRef: string | undefined) => boolean;
  /** The `productOs` config. The agent is off unless it has an `agent` key of its own. */
  productOs?: JsonObject;
  /** Config beside `productOs` (`app`, `backend`, `integrations`, `techInsights`, ...). */
  config?: JsonObject;
  /** Plugins, modules and services beside Product OS (a source module, notifications, ...). */
  features?: Array<BackendFeature | ServiceFactory>;
  /** Scheduled tasks run only when the test triggers them, none at startup. */
  manualTasks?: boolean;
}

/** A started backend, and the scheduler through which a test triggers its tasks. */
export interface ProductOsTestBackend {
  backend: TestBackend;
  server: TestBackend['server'];
  scheduler: SchedulerService;
  stop(): Promise<void>;
}

/**
 * Starts the real Product OS plugin in a test backend (`@backstage/backend-test-utils`) on a
 * test database, with a mock catalog, the permissions a test denies, and its config: the set-up
 * every route, tool and integration test shares, written once.
 */
export async function startProductOsBackend(
  options: ProductOsBackendOptions,
): Promise<ProductOsTestBackend> {
  // The mock scheduler's instance makes a factory of itself, so the test can trigger the tasks
  // the backend scheduled; its published type leaves that method out.
  const scheduler = mockServices.scheduler() as SchedulerService & {
    factory: typeof mockServices.scheduler.factory;
  };
  const { database, catalog, denies } = options;
  const backend = await startTestBackend({
    features: [
      productOsPlugin,
      ...(options.features ?? []),
      isKnex(database)
        ? mockServices.database.factory({ knex: database })
        : databasePerPlugin(database),
      Array.isArray(catalog) || catalog === undefined
        ? catalogServiceMock.factory({ entities: catalog ?? [] })
        : catalog,
      ...(denies ? [permissionsDenying(denies)] : []),
      mockServices.rootConfig.factory({
        data: {
          ...options.config,
          productOs: { agent: { enabled: false }, ...options.productOs },
        },
      }),
      scheduler.factory({ skipTaskRunOnStartup: options.manualTasks ?? false }),
    ],
  });
  return {
    backend,
    server: backend.server,
    scheduler,
    stop: () => backend.stop(),
  };
}

function isKnex(database: Knex | Record<string, Knex>): database is Knex {
  return typeof database === 'function';
}
