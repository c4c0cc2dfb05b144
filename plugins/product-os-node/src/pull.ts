import type {
  LoggerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import type { AnnotatedEntity } from './entities';
import type { ProductOsSourceStore } from './sourceStore';

/**
 * One scope's pull, as the host hands it to a source module: the cursor the last successful pull
 * of this scope left, and the store to write through (the host's ingest tail: claims, fan-out to
 * every entity that claims what is written, waking the agent after commit).
 *
 * @public
 */
export interface PullRequest {
  /** The scope's key as {@link ProductOsPull.scopeOf} named it, e.g. `acme/checkout-api`. */
  scope: string;
  /** The entities of this scope (several entities may share a project or repository). */
  entities: AnnotatedEntity[];
  /** What the last successful pull of this scope returned; undefined on the first (back-fill) run. */
  cursor?: string;
  store: ProductOsSourceStore;
  logger: LoggerService;
  /** Aborted when the scheduler cancels the run or the backend shuts down. */
  signal: AbortSignal;
  /** The run's clock, epoch ms; a module reads time from here so tests control it. */
  now: number;
}

/** What a pull of one scope reports back. @public */
export interface PullResult {
  /** Where the next pull of this scope starts; undefined keeps the previous cursor. */
  cursor?: string;
  /** Items written (issues, commits, incidents, points...), for the sync state and the logs. */
  items?: number;
}

/**
 * A pull of one kind of data (issues, commits, incidents, metrics, ...) from a vendor's API. The
 * host owns the rest: its schedule (config may override the default), one run at a time across
 * backend instances, spreading the scopes over runs, a failure in one scope not stopping the
 * others, the sync state per scope, and "sync now".
 *
 * @public
 */
export interface ProductOsPull {
  /** Unique within the source, e.g. `issues`. The scheduler task is `product-os.<source>.<id>`. */
  id: string;
  /** The entities this pull serves: those with any of these annotations. */
  annotations: string[];
  /**
   * The scope an entity is pulled under (e.g. `org/slug` of its Sentry project), or undefined
   * when the entity's annotations do not name one this pull can serve. Entities that share a
   * scope are pulled once.
   */
  scopeOf(entity: AnnotatedEntity): string | undefined;
  /** The default schedule; `productOs.sources.<source>.pull.<id>.schedule` overrides it. */
  schedule: SchedulerServiceTaskScheduleDefinition;
  /** Scopes pulled per run at most, least recently pulled first; the rest wait. Default 50. */
  scopesPerRun?: number;
  /** Scopes pulled at the same time within a run (the per-vendor cap). Default 4. */
  concurrency?: number;
  /** Pulls one scope. Throwing records the error on the scope and keeps its cursor. */
  pull(request: PullRequest): Promise<PullResult>;
}

/**
 * A source's pull side. A source whose token is not configured still declares itself, so entity
 * pages can say how to connect it instead of showing an error.
 *
 * @public
 */
export type ProductOsPullSource =
  | { configured: true; pulls: ProductOsPull[] }
  | {
      configured: false;
      /** What an admin sets to turn the pull on, e.g. `productOs.sentry.pull.token`. */
      howToConnect: string;
      /** The annotations whose entities would be pulled, so their pages can show the hint. */
      annotations: string[];
    };
