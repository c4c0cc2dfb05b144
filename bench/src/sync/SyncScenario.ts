import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  AnnotatedEntity,
  ProductOsSource,
} from '@internal/plugin-product-os-node';
import type { IncomingMessage, ServerResponse } from 'http';

/** Answers one request as the vendor's documented API does (the harness adds latency and counts). */
export type VendorHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  body: string,
) => void | Promise<void>;

/**
 * One source's sync benchmark: the catalog it syncs, a local server that answers as the vendor,
 * and the source as its module builds it against that server. A source module adds its scenario
 * as `bench/src/sync/<source>.ts` and lists it in `scenarios.ts`.
 */
export interface SyncScenario {
  /** `yarn bench:sync --scenario <name>`. */
  name: string;
  /** `n` catalog entities with the annotations the source's pulls read. */
  entities(n: number): AnnotatedEntity[];
  /** The vendor's API. */
  vendor: VendorHandler;
  /**
   * Whether an answer counts against the vendor's budget of requests (GitHub: a 304 does not,
   * nor does a GraphQL query, which has a budget of points of its own). Default: every request
   * counts.
   */
  counted?(status: number, req: IncomingMessage): boolean;
  /**
   * The source with its pulls configured against the vendor server's `baseUrl` (the server's
   * origin; add the vendor's path prefix yourself). It must declare `pull.configured: true`.
   */
  createSource(options: {
    baseUrl: string;
    logger: LoggerService;
    /**
     * The clock the pulls run on, epoch ms: real time moved on by each run's schedule, so a
     * vendor server whose data or budget window follows time reads it here.
     */
    now: () => number;
  }): ProductOsSource | Promise<ProductOsSource>;
  /** Steady-state hours to simulate after the back-fill (default 1). */
  steadyHours?: number;
  /**
   * Whether a scope's back-fill is complete after a successful pull that left `cursor`. Default:
   * any successful pull is (GitHub's pull pauses to spare the budget and goes on at later runs).
   */
  backfilled?(cursor: string | undefined): boolean;
  /**
   * Real minutes the back-fill may run before the benchmark stops it and reports how far it came
   * (`--max-minutes` overrides). Default: until it completes.
   */
  backfillMinutes?: number;
  /** Lines the scenario adds to its figures (what its vendor server saw, the pull's own logs). */
  describe?(): string[];
}
