import type { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import type { ProductOsSource } from '@internal/plugin-product-os-node';
import type { ScheduledPull } from './SyncService';

/**
 * The pulls the sources declare, each with its schedule (config's, else the pull's default), and
 * the sources whose pull side is not configured.
 */
export function pullSourcesOf(
  sources: ProductOsSource[],
  schedules: Record<
    string,
    Record<string, SchedulerServiceTaskScheduleDefinition>
  >,
) {
  const pulls: ScheduledPull[] = [];
  const unconfigured: {
    source: string;
    howToConnect: string;
    annotations: string[];
  }[] = [];
  for (const source of sources) {
    if (!source.pull) continue;
    if (!source.pull.configured) {
      unconfigured.push({
        source: source.id,
        howToConnect: source.pull.howToConnect,
        annotations: source.pull.annotations,
      });
      continue;
    }
    const ids = new Set<string>();
    for (const pull of source.pull.pulls) {
      // The id names the scheduler task and the sync state's scopes.
      if (ids.has(pull.id))
        throw new Error(
          `Product OS source '${source.id}' declares the pull '${pull.id}' twice`,
        );
      ids.add(pull.id);
      pulls.push({
        source,
        pull,
        schedule: schedules[source.id]?.[pull.id] ?? pull.schedule,
      });
    }
  }
  return { pulls, unconfigured };
}
