import type {
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { SyncService } from './SyncService';

/**
 * Schedules every configured pull as `product-os.<source>.<pullId>` on the Backstage scheduler,
 * which runs a task on one instance at a time across the backend's instances.
 */
export async function schedulePulls(options: {
  sync: SyncService;
  scheduler: SchedulerService;
  logger: LoggerService;
}): Promise<void> {
  for (const scheduled of options.sync.pulls) {
    const id = SyncService.taskId(scheduled.source.id, scheduled.pull.id);
    await options.scheduler.scheduleTask({
      id,
      ...scheduled.schedule,
      fn: async signal => {
        await options.sync.runScheduled(scheduled, signal as AbortSignal);
      },
    });
    options.logger.info('Scheduled pull', { task: id });
  }
}
