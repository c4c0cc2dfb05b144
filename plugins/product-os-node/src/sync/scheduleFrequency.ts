import type { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';

/**
 * The time between runs of a schedule, ms, when it is a fixed interval; undefined for a cron
 * expression or a manual trigger, whose next run is not a fixed step away.
 *
 * @public
 */
export function scheduleFrequencyMs(
  schedule: Pick<SchedulerServiceTaskScheduleDefinition, 'frequency'>,
): number | undefined {
  const frequency = schedule.frequency as unknown;
  if (typeof frequency !== 'object' || frequency === null) return undefined;
  if ('cron' in frequency || 'trigger' in frequency) return undefined;
  // A luxon Duration (from config) or a HumanDuration literal.
  if (typeof (frequency as { toMillis?: unknown }).toMillis === 'function')
    return (frequency as { toMillis(): number }).toMillis();
  const ms = durationToMilliseconds(frequency as HumanDuration);
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}
