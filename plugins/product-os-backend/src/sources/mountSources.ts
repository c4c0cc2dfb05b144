import {
  HttpRouterService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import {
  createSharedRateLimit,
  createSourceStore,
  EntityChangeListener,
  EntityResolver,
  ErrorRiseCheck,
  IngestNotifier,
  ProductOsIngestStore,
  ProductOsSource,
  ProductOsSourceContext,
  ProductOsWorkers,
} from '@internal/plugin-product-os-node';
import express from 'express';
import Router from 'express-promise-router';
import { DEFAULT_SOURCE_ROUTES, SourceRoutesConfig } from '../config';
import { bodyDeadline } from './bodyDeadline';
import { limitUnclaimedKeys } from './limitUnclaimedKeys';
import { sourceErrors } from './sourceErrors';
import { vendorCors } from './vendorCors';

const SOURCE_ID = /^[a-z0-9][a-z0-9-]*$/;

/** Deliveries a minute, per source and instance, for all keys no entity claims together. */
export const DEFAULT_UNCLAIMED_KEYS_PER_MINUTE = 60;

/** The first path segments of the plugin's own routes (`src/service/router.ts`). */
const RESERVED_PATHS = [
  'entities',
  'health',
  'diagnoses',
  'anomalies',
  'admin',
  'config',
];

/** What the host builds every source's store from. */
export interface SourcesHost {
  store: ProductOsIngestStore;
  entities: EntityResolver;
  notifier: IngestNotifier;
  /** Judges sharp rises of the errors any source stored; without it, none is signalled. */
  riseCheck?: ErrorRiseCheck;
  /** Told whose data each delivery changed (the entity pages' live updates). */
  changes?: EntityChangeListener;
}

/**
 * Mounts each source's vendor-facing routes at `/<source id>` (exempt from Backstage auth: the
 * source verifies the vendor's own key or signature) and schedules its pull syncs. Every
 * source's routes get a body deadline and, for the origins configured for that source, CORS;
 * both stop at the source's path. Every source writes through the host's ingest tail
 * (`createSourceStore`): the entity lookup, unmapped counting and waking the agent after commit
 * happen there, once for all sources.
 */
export async function mountSources(options: {
  sources: ProductOsSource[];
  context: SourcesHost;
  /** The worker threads every source parses its large bodies on. */
  workers: ProductOsWorkers;
  logger: LoggerService;
  httpRouter: HttpRouterService;
  scheduler: SchedulerService;
  /** By source id (`productOs.sources.<id>`); a source without settings gets the defaults. */
  routes?: Record<string, SourceRoutesConfig>;
  /** The shared rate of keys no entity claims (default {@link DEFAULT_UNCLAIMED_KEYS_PER_MINUTE}). */
  unclaimedKeys?: { limit: number; windowMs?: number; now?: () => number };
}): Promise<express.Router> {
  const router = Router();
  const unclaimed = createSharedRateLimit(
    options.unclaimedKeys ?? { limit: DEFAULT_UNCLAIMED_KEYS_PER_MINUTE },
  );
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
    const { store, ...host } = options.context;
    const context: ProductOsSourceContext = {
      store: createSourceStore({
        ...host,
        store: limitUnclaimedKeys(store, unclaimed, source.id),
        logger,
      }),
      workers: options.workers,
      logger,
    };
    if (source.createRouter) {
      const routes = options.routes?.[source.id] ?? DEFAULT_SOURCE_ROUTES;
      const path = `/${source.id}`;
      // CORS first, so a preflight is answered before anything waits on a body, and a 408 or
      // an error still carries the headers the page needs to read it.
      if (routes.allowedOrigins.length > 0)
        router.use(path, vendorCors(routes.allowedOrigins));
      router.use(path, bodyDeadline(routes.bodyTimeoutMs));
      router.use(path, await source.createRouter(context));
      options.httpRouter.addAuthPolicy({
        path: `/${source.id}`,
        allow: 'unauthenticated',
      });
    }
    logger.info('Product OS source ready', {
      routes: Boolean(source.createRouter),
      allowedOrigins: options.routes?.[source.id]?.allowedOrigins ?? [],
    });
  }
  // Errors of every source's routes: Retry-After for a shared-rate 429 or a database 503.
  router.use(sourceErrors());
  return router;
}
