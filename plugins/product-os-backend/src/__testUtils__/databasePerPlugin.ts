import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import type { Knex } from 'knex';

/** Each plugin its own database, as in a real backend: `knexes` by plugin id. */
export function databasePerPlugin(knexes: Record<string, Knex>) {
  return createServiceFactory({
    service: coreServices.database,
    deps: { plugin: coreServices.pluginMetadata },
    factory: ({ plugin }) =>
      mockServices.database({ knex: knexes[plugin.getId()] }),
  });
}
