import type { DoraReport } from '@internal/plugin-product-os-common';
import { DAY_MS } from '../../time';
import { doraBands } from './doraBands';
import { doraFigures } from './doraFigures';
import type { DeploymentFacts } from './deploymentFacts';

/** The windows every DORA report has, in days. */
export const DORA_WINDOW_DAYS = [7, 30, 90] as const;

/** How far back the rows of a report reach: the longest window and the period before it. */
export const DORA_REACH_MS = 2 * 90 * DAY_MS;

/**
 * The 7, 30 and 90 days ending at `to`, each with the period of the same length before it and the
 * bands of its current figures, from the facts of the subject's deployments.
 */
export function doraReport(
  subjectRef: string,
  facts: DeploymentFacts[],
  to: number,
): DoraReport {
  return {
    subjectRef,
    windows: DORA_WINDOW_DAYS.map(days => {
      const from = to - days * DAY_MS;
      const current = doraFigures(facts, { from, to });
      return {
        days,
        from: new Date(from).toISOString(),
        to: new Date(to).toISOString(),
        current,
        previous: doraFigures(facts, { from: from - days * DAY_MS, to: from }),
        bands: doraBands(current),
      };
    }),
  };
}
