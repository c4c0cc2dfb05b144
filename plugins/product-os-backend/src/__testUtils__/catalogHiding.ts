import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  CatalogService,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';

/**
 * A catalog of `entities` in which the entities `hides` says no to are absent for that user, as
 * the real catalog's permission rules leave them out of every answer: the case of a reader who
 * may not see a dependency. `onCall` hears the name of every catalog method called.
 */
export function catalogHiding(
  entities: Entity[],
  hides: (entityRef: string, userEntityRef: string | undefined) => boolean,
  options: { onCall?: (method: string) => void } = {},
) {
  return createServiceFactory({
    service: catalogServiceRef,
    deps: {},
    factory: () =>
      new Proxy({} as CatalogService, {
        get: (_target, method) => {
          // Not a promise: the backend awaits what a factory returns.
          if (typeof method !== 'string' || method === 'then') return undefined;
          return (...args: unknown[]) => {
            options.onCall?.(method);
            const { credentials } = args[args.length - 1] as {
              credentials: BackstageCredentials;
            };
            const user = (credentials.principal as { userEntityRef?: string })
              .userEntityRef;
            const visible = entities.filter(
              entity => !hides(stringifyEntityRef(entity), user),
            );
            return (catalogServiceMock({ entities: visible }) as any)[method](
              ...args,
            );
          };
        },
      }),
  });
}
