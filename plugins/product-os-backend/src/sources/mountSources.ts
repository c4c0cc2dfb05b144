import {
  HttpRouterService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type {
  ProductOsSource,
  ProductOsSourceContext,
} from '@internal/plugin-product-os-node';
import express from 'express';
import Router from 'express-promise-router';

const SOURCE_ID = /^[a-z0-9][a-z0-9-]*$/;

/** The first path segments of the plugin's own routes (`src/service/router.ts`). */
const RESERVED_PATHS = [
  'entities',
  'health',
  'diagnoses',
  'anomalies',
  'admin',
  'config',
];

/**
 * Mounts each source's vendor-facing routes at `/<source id>` (exempt from Backstage auth: the
 * source verifies the vendor's own key or signature) and schedules its pull syncs.
 */
export async function mountSources(options: {
  sources: ProductOsSource[];
  context: Omit<ProductOsSourceContext, 'logger'>;
  logger: LoggerService;
  httpRouter: HttpRouterService;
  scheduler: SchedulerService;
}): Promise<express.Router> {
  const router = Router();
  const seen = new Set<string>();
  for (const source of options.sources) {
    if (!SOURCE_ID.test(source.id) || RESERVED_PATHS.includes(source.id)) {
      // The id becomes a path exempt from Backstage auth: a source called `diagnoses` would open
      // the diagnosis routes to anyone.
      throw new Error(
        `Product OS source id '${
          source.id
        }' must be lowercase letters, digits and dashes, and not one of ${RESERVED_PATHS.join(
          ', ',
        )}`,
      );
    }
    if (seen.has(source.id))
      throw new Error(`Product OS source '${source.id}' was added twice`);
    seen.add(source.id);
    const logger = options.logger.child({ source: source.id });
    const context: ProductOsSourceContext = { ...options.context, logger };
    if (source.createRouter) {
      router.use(`/${source.id}`, await source.createRouter(context));
      options.httpRouter.addAuthPolicy({
        path: `/${source.id}`,
        allow: 'unauthenticated',
      });
    }
    for (const task of source.syncTasks ?? []) {
      await options.scheduler.scheduleTask({
        id: `product-os.${source.id}.${task.id}`,
        ...task.schedule,
        fn: async signal => {
          const taskLogger = logger.child({ task: task.id });
          await task.run(
            { ...context, logger: taskLogger },
            signal as AbortSignal,
          );
        },
      });
    }
    logger.info('Product OS source ready', {
      routes: Boolean(source.createRouter),
      syncTasks: (source.syncTasks ?? []).length,
    });
  }
  return router;
}
