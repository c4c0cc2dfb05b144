import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  AnnotatedEntity,
  EntityResolver,
  IngestSignalReason,
} from '../entities';
import type { ProductOsSourceContext } from '../extensions';
import { createSourceStore } from '../ingest/createSourceStore';
import type { ErrorRiseCheck } from '../ingest/ErrorRiseCheck';
import type { ProductOsIngestStore } from '../store';
import { WorkerPool } from '../workers/WorkerPool';
import type { ProductOsWorkers } from '../workers/workerTask';
import { MockIngestStore } from './MockIngestStore';

/** What a source module's test sets up: the catalog it sees, and the host's rise check. @public */
export interface MockSourceContextOptions<
  S extends ProductOsIngestStore = MockIngestStore,
> {
  /** The catalog entities, with the annotations that claim deliveries. */
  entities?: AnnotatedEntity[];
  /** Judges sharp rises of stored errors (the backend's reads the store's hourly counts). */
  riseCheck?: ErrorRiseCheck;
  /**
   * The store underneath: a fresh {@link MockIngestStore} by default, or the backend's real
   * store for a test that reads back what the real store makes of the writes.
   */
  store?: S;
  /**
   * The worker threads large bodies are parsed on: by default a pool of the host's kind, whose
   * threads start only when a task needs one and do not keep the process open once idle.
   */
  workers?: ProductOsWorkers;
}

/** A source context for tests, and what it recorded. @public */
export interface MockSourceContext<
  S extends ProductOsIngestStore = MockIngestStore,
> {
  context: ProductOsSourceContext;
  /** What the modules wrote. */
  store: S;
  /** The agent's wake-ups, in order, as [entity ref, reason]. */
  signals: [string, IngestSignalReason][];
}

/**
 * The context the host gives a source module, over an in-memory store: the same ingest tail as
 * in production (claiming, unmapped counting, signals after commit), without a backend.
 *
 * @public
 */
export function mockSourceContext<
  S extends ProductOsIngestStore = MockIngestStore,
>(options: MockSourceContextOptions<S> = {}): MockSourceContext<S> {
  const store = options.store ?? (new MockIngestStore() as unknown as S);
  const catalog = options.entities ?? [];
  const entities: EntityResolver = {
    async findEntitiesByAnnotation(annotation, value) {
      return catalog.filter(entity => entity.annotations[annotation] === value);
    },
    async findByAnnotation(annotation, value) {
      return (await this.findEntitiesByAnnotation(annotation, value)).map(
        entity => entity.entityRef,
      );
    },
  };
  const signals: [string, IngestSignalReason][] = [];
  const logger = silentLogger();
  return {
    store,
    signals,
    context: {
      store: createSourceStore({
        store,
        entities,
        notifier: {
          notify: (entityRef, reason) => signals.push([entityRef, reason]),
        },
        riseCheck: options.riseCheck,
        logger,
      }),
      workers: options.workers ?? new WorkerPool(),
      logger,
    },
  };
}

function silentLogger(): LoggerService {
  const logger: LoggerService = {
    error() {},
    warn() {},
    info() {},
    debug() {},
    child: () => logger,
  };
  return logger;
}
