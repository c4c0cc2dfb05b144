import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import {
  DEFAULT_TIE_MARGIN,
  HealthInputName,
} from '@internal/plugin-product-os-common';
import {
  DEFAULT_HEALTH_WEIGHTS,
  HEALTH_INPUT_NAMES,
  HealthWeights,
} from '../read/healthScore';

/** `productOs.health`: the score's weights, the ranking's noise margin, the snapshot task. */
export interface HealthConfig {
  weights: HealthWeights;
  /** Services closer than this share a place (`rankByHealth`), in roll-ups and on the leaders' page. */
  tieMargin: number;
  /** When the daily snapshot task runs. */
  snapshotSchedule: SchedulerServiceTaskScheduleDefinition;
}

export function readHealthConfig(config: Config): HealthConfig {
  const health = config.getOptionalConfig('productOs.health');
  const weights = { ...DEFAULT_HEALTH_WEIGHTS };
  const configured = health?.getOptionalConfig('weights');
  for (const key of configured?.keys() ?? []) {
    if (!HEALTH_INPUT_NAMES.includes(key as HealthInputName)) {
      throw new Error(
        `productOs.health.weights.${key} is not an input of the health score; the inputs are ${HEALTH_INPUT_NAMES.join(
          ', ',
        )}`,
      );
    }
    const name = key as HealthInputName;
    const weight = configured!.getConfig(key);
    const points = weight.getOptionalNumber('points') ?? weights[name].points;
    const max = weight.getOptionalNumber('max') ?? weights[name].max;
    if (!(points >= 0) || !(max >= 0)) {
      throw new Error(
        `productOs.health.weights.${key}: points and max must be 0 or more`,
      );
    }
    weights[name] = { points, max };
  }
  const tieMargin =
    health?.getOptionalNumber('tieMargin') ?? DEFAULT_TIE_MARGIN;
  if (!(tieMargin >= 0)) {
    throw new Error('productOs.health.tieMargin must be 0 or more');
  }
  return {
    weights,
    tieMargin,
    snapshotSchedule: health?.has('snapshotSchedule')
      ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
          health.getConfig('snapshotSchedule'),
        )
      : {
          frequency: { hours: 1 },
          timeout: { minutes: 30 },
          initialDelay: { minutes: 1 },
        },
  };
}
