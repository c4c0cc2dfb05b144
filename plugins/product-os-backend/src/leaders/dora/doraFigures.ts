import type { DoraFigures } from '@internal/plugin-product-os-common';
import type { TimeRange } from '../../database/TimeRange';
import { DAY_MS } from '../../time';
import type { DeploymentFacts } from './deploymentFacts';

/**
 * The DORA figures of the deployments that finished in `range`, pooled over whichever entities
 * `facts` are of (one entity, or every service of a team). Only what was known by `range.to`
 * counts: an incident created or resolved later, a diagnosis made later.
 */
export function doraFigures(
  facts: DeploymentFacts[],
  range: TimeRange,
): DoraFigures {
  const inWindow = facts.filter(
    f => f.deployedAt >= range.from && f.deployedAt < range.to,
  );
  const days = new Set(inWindow.map(f => Math.floor(f.deployedAt / DAY_MS)));
  const weeks = (range.to - range.from) / (7 * DAY_MS);
  const leadTimes = inWindow.flatMap(f => f.leadTimesMs);
  const failed = inWindow.filter(f => f.failures.some(t => t < range.to));
  const recoveries = inWindow.flatMap(f =>
    f.recoveries.filter(r => r.resolvedAt < range.to).map(r => r.ms),
  );
  const rework = inWindow.filter(f => f.rework).length;
  const deployments = inWindow.length;
  return {
    deployments,
    deploymentDays: days.size,
    deploymentFrequency: round(days.size / weeks, 2),
    leadTimeMs: lowerMedian(leadTimes),
    changes: leadTimes.length,
    failedDeployments: failed.length,
    changeFailureRate: deployments
      ? round(failed.length / deployments, 4)
      : null,
    recoveryTimeMs: lowerMedian(recoveries),
    recoveries: recoveries.length,
    reworkDeployments: rework,
    reworkRate: deployments ? round(rework / deployments, 4) : null,
  };
}

/**
 * The median as DevLake's queries take it: the largest value whose `percent_rank` is at most 0.5,
 * i.e. the lower of the two middle values of an even count. `null` for no values.
 */
export function lowerMedian(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
