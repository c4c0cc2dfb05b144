import type {
  LifecycleService,
  LifecycleServiceShutdownHook,
} from '@backstage/backend-plugin-api';

/**
 * The lifecycle a benchmark hands to what it builds outside a backend (the stores' SQLite
 * checkpoint worker registers its stop here), so that it can stop them when it is done and the
 * process exits by itself.
 */
export function createBenchLifecycle(): LifecycleService & {
  /** Runs the shutdown hooks, the last added first. */
  shutdown(): Promise<void>;
} {
  const shutdown: LifecycleServiceShutdownHook[] = [];
  return {
    // What a benchmark builds is in use as soon as it is built; there is no start to wait for.
    addStartupHook: () => {},
    addShutdownHook: hook => {
      shutdown.push(hook);
    },
    async shutdown() {
      for (const hook of shutdown.splice(0).reverse()) await hook();
    },
  };
}
