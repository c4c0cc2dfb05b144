import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  /** Configuration of the Product OS plugins. */
  productOs?: {
    /** How long data is kept. */
    retention?: {
      /** Days to keep raw samples: error events, user keys, delivery ids. Default 14. */
      rawDays?: number;
      /** Days to keep hourly buckets and metric points. Default 180. */
      aggregateDays?: number;
      /** When the retention job runs. Default every hour. */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
    /** Raw error events kept per error group (the newest N). Default 50. */
    errorSampleSize?: number;
    /** How often the cache of annotation-to-entity mappings follows the catalog, in seconds. Default 60. */
    entityCacheSeconds?: number;
  };
}
