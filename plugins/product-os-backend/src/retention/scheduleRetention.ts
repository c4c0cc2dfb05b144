import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import type { ProductOsConfig } from '../config';
import type { ProductOsStore } from '../database/ProductOsStore';

/** Prunes aged-out raw samples and buckets on a schedule; one instance runs it at a time. */
export async function scheduleRetention(options: {
  store: ProductOsStore;
  scheduler: SchedulerService;
  logger: LoggerService;
  retention: ProductOsConfig['retention'];
}) {
  const { store, scheduler, logger, retention } = options;
  await scheduler.scheduleTask({
    id: 'product-os.retention',
    ...retention.schedule,
    fn: async () => {
      const result = await store.prune(Date.now(), retention);
      logger.info('Pruned aged-out Product OS data', { ...result });
    },
  });
}
