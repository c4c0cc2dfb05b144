import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import type { ProductOsConfig } from '../config';
import type { RetentionStore } from '../database/retention/RetentionStore';

/** Prunes aged-out raw samples and buckets on a schedule; one instance runs it at a time. */
export async function scheduleRetention(options: {
  store: RetentionStore;
  scheduler: SchedulerService;
  logger: LoggerService;
  retention: ProductOsConfig['retention'];
  now?: () => number;
}) {
  const { store, scheduler, logger, retention } = options;
  const now = options.now ?? Date.now;
  const { schedule, rawMaxAgeMs, aggregateMaxAgeMs } = retention;
  await scheduler.scheduleTask({
    id: 'product-os.retention',
    ...schedule,
    fn: async () => {
      const result = await store.prune(now(), {
        rawMaxAgeMs,
        aggregateMaxAgeMs,
      });
      logger.info('Pruned aged-out Product OS data', { ...result });
    },
  });
}
