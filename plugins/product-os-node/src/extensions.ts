import {
  createExtensionPoint,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { Router } from 'express';
import type { ProductOsPullSource } from './pull';
import type { ProductOsSourceStore } from './sourceStore';
import type { ProductOsWorkers } from './workers/workerTask';

/**
 * What a source module is given to do its work: the store, through which it finds who claims a
 * delivery and writes it (the host does the rest), the host's worker threads, on which it parses
 * large bodies off the event loop, and a logger.
 *
 * @public
 */
export interface ProductOsSourceContext {
  store: ProductOsSourceStore;
  workers: ProductOsWorkers;
  logger: LoggerService;
}

/** A source of data (Sentry, GitHub, PagerDuty, PostHog, ...). @public */
export interface ProductOsSource {
  /** Also the path its routes are mounted at: `/api/product-os/<id>`. */
  id: string;
  /**
   * Routes the vendor calls (webhooks, SDK ingestion). They are exempt from Backstage auth, so the
   * router must verify the vendor's own key or signature before it stores anything.
   */
  createRouter?(context: ProductOsSourceContext): Promise<Router> | Router;
  /** Pulls from the vendor's API, scheduled by the host across all backend instances. */
  pull?: ProductOsPullSource;
}

/** Lets backend modules add sources to Product OS. @public */
export interface ProductOsSourcesExtensionPoint {
  addSource(source: ProductOsSource): void;
}

/** @public */
export const productOsSourcesExtensionPoint =
  createExtensionPoint<ProductOsSourcesExtensionPoint>({
    id: 'product-os.sources',
  });
