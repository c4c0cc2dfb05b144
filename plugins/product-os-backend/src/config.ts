import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import type { RetentionPolicy } from './database/ProductOsStore';

const DAY_MS = 86_400_000;

/** Product OS backend settings, with every default in this one place. */
export interface ProductOsConfig {
  retention: RetentionPolicy & { schedule: SchedulerServiceTaskScheduleDefinition };
  errorSampleSize: number;
  entityCacheMs: number;
}

export function readProductOsConfig(config: Config): ProductOsConfig {
  const root = config.getOptionalConfig('productOs');
  const retention = root?.getOptionalConfig('retention');
  const scheduleConfig = retention?.getOptionalConfig('schedule');
  return {
    retention: {
      rawMaxAgeMs: (retention?.getOptionalNumber('rawDays') ?? 14) * DAY_MS,
      aggregateMaxAgeMs: (retention?.getOptionalNumber('aggregateDays') ?? 180) * DAY_MS,
      schedule: scheduleConfig
        ? readSchedulerServiceTaskScheduleDefinitionFromConfig(scheduleConfig)
        : { frequency: { hours: 1 }, timeout: { minutes: 10 }, initialDelay: { minutes: 1 } },
    },
    errorSampleSize: root?.getOptionalNumber('errorSampleSize') ?? 50,
    entityCacheMs: (root?.getOptionalNumber('entityCacheSeconds') ?? 60) * 1000,
  };
}
