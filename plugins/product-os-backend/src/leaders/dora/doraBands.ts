import type {
  DoraBand,
  DoraBands,
  DoraFigures,
} from '@internal/plugin-product-os-common';
import { DAY_MS, HOUR_MS } from '../../time';

const ORDER: DoraBand[] = ['elite', 'high', 'medium', 'low'];

/**
 * The performance bands of DORA's 2024 report, one per figure, as thresholds a value is compared
 * with in order (the first it meets is its band; none met is `low`).
 *
 * - Deployment frequency, in deployment days per week: elite on demand (3 or more days a week, the
 *   criterion DevLake uses for "on demand"), high at least weekly (1), medium at least monthly
 *   (12 a year, 12/52 a week).
 * - Lead time for changes: elite under a day, high under a week, medium under a month (30 days).
 * - Change failure rate, a fraction (0.05 is 5 %): elite at most 0.05, high at most 0.20 (the 2024
 *   high cluster), medium at most 0.40 (the low cluster's value; the 2024 medium cluster's 10 % is
 *   below high's, so it cannot be a threshold of its own). DevLake's banding query compares the
 *   fraction with `<= 5`, which every rate meets; here the fraction is compared with fractions.
 * - Failed deployment recovery time: elite under an hour, high under a day, medium under a week.
 */
export const DORA_THRESHOLDS = {
  deploymentFrequency: { elite: 3, high: 1, medium: 12 / 52 },
  leadTimeMs: { elite: DAY_MS, high: 7 * DAY_MS, medium: 30 * DAY_MS },
  changeFailureRate: { elite: 0.05, high: 0.2, medium: 0.4 },
  recoveryTimeMs: { elite: HOUR_MS, high: DAY_MS, medium: 7 * DAY_MS },
} as const;

type Thresholds = { elite: number; high: number; medium: number };

/** Higher is better: the band of the first threshold the value reaches. */
function atLeast(value: number, t: Thresholds): DoraBand {
  if (value >= t.elite) return 'elite';
  if (value >= t.high) return 'high';
  if (value >= t.medium) return 'medium';
  return 'low';
}

/** Lower is better: `strict` for "under", else "at most". */
function atMost(value: number, t: Thresholds, strict: boolean): DoraBand {
  const meets = (limit: number) => (strict ? value < limit : value <= limit);
  if (meets(t.elite)) return 'elite';
  if (meets(t.high)) return 'high';
  if (meets(t.medium)) return 'medium';
  return 'low';
}

export function changeFailureRateBand(rate: number): DoraBand {
  return atMost(rate, DORA_THRESHOLDS.changeFailureRate, false);
}

/**
 * The bands of a window's figures. Without deployments no figure has data, and every band is
 * `null` rather than `low`: a component that is never deployed (a library) is not a slow team.
 * `overall` is the lowest band among those with data.
 */
export function doraBands(figures: DoraFigures): DoraBands {
  const deploymentFrequency =
    figures.deployments > 0
      ? atLeast(
          figures.deploymentFrequency,
          DORA_THRESHOLDS.deploymentFrequency,
        )
      : null;
  const leadTime =
    figures.leadTimeMs === null
      ? null
      : atMost(figures.leadTimeMs, DORA_THRESHOLDS.leadTimeMs, true);
  const changeFailureRate =
    figures.changeFailureRate === null
      ? null
      : changeFailureRateBand(figures.changeFailureRate);
  const recoveryTime =
    figures.recoveryTimeMs === null
      ? null
      : atMost(figures.recoveryTimeMs, DORA_THRESHOLDS.recoveryTimeMs, true);
  const known = [deploymentFrequency, leadTime, changeFailureRate, recoveryTime]
    .filter((b): b is DoraBand => b !== null)
    .map(b => ORDER.indexOf(b));
  return {
    deploymentFrequency,
    leadTime,
    changeFailureRate,
    recoveryTime,
    overall: known.length ? ORDER[Math.max(...known)] : null,
  };
}
