import type {
  HealthInput,
  HealthInputName,
} from '@internal/plugin-product-os-common';

/** The numbers an entity's health score is made of. The first four are required; the rest default to none. */
export interface HealthSignals {
  /** Error events in the window. */
  events: number;
  /** Error events in the window of the same length just before. */
  previousEvents: number;
  /**
   * Whether there is anything to measure a rise against: false when every error group of the
   * entity was first seen inside the window and the window before counted none ("no baseline
   * yet"), so a newly connected service is not charged for growth from nothing. Default true.
   */
  errorBaseline?: boolean;
  openIncidents: number;
  diagnosesNeedingHuman: number;
  /** Open diagnoses the agent is still collecting evidence for (not waiting for a person). */
  openDiagnoses?: number;
  /** Error groups first seen in the window. */
  newErrorGroups?: number;
  /** Error groups that came back in the window after being resolved. */
  regressedErrorGroups?: number;
  /** The largest drop of a key metric against the window before, a fraction 0–1 (0: none fell). */
  keyMetricDrop?: number;
  /** Lower median hours from creation to resolution of the incidents resolved in the window. */
  mttrHours?: number | null;
  /** Change failure rate of the window's production deployments, a fraction; null without any. */
  changeFailureRate?: number | null;
}

/** Points an input takes off per unit of its value, and the most it can take. */
export interface HealthWeight {
  points: number;
  max: number;
}

export type HealthWeights = Record<HealthInputName, HealthWeight>;

/**
 * The default weights. The first four are the score's original formula, so an entity with only
 * those signals keeps its score:
 *
 * | input                  | value                                              | points per unit | at most |
 * | ---------------------- | -------------------------------------------------- | --------------- | ------- |
 * | `openIncidents`        | open incidents                                     | 25              | 50      |
 * | `diagnosesNeedingHuman`| open diagnoses waiting for a person                | 10              | 20      |
 * | `errorGrowth`          | doublings of events, `log2((events+1)/(prev+1))`, ≥ 0 | 10           | 20      |
 * | `errorVolume`          | `log10(events + 1)`                                | 2.5             | 10      |
 * | `newErrorGroups`       | error groups first seen in the window              | 3               | 15      |
 * | `regressedErrorGroups` | error groups regressed in the window               | 5               | 15      |
 * | `keyMetricDrop`        | largest key-metric fall against the window before, 0–1 | 20          | 20      |
 * | `mttr`                 | median hours to resolve the window's incidents     | 0.5             | 10      |
 * | `changeFailureRate`    | the window's change failure rate, 0–1              | 25              | 15      |
 * | `openDiagnoses`        | open diagnoses still collecting evidence           | 2               | 10      |
 */
export const DEFAULT_HEALTH_WEIGHTS: HealthWeights = {
  openIncidents: { points: 25, max: 50 },
  diagnosesNeedingHuman: { points: 10, max: 20 },
  errorGrowth: { points: 10, max: 20 },
  errorVolume: { points: 2.5, max: 10 },
  newErrorGroups: { points: 3, max: 15 },
  regressedErrorGroups: { points: 5, max: 15 },
  keyMetricDrop: { points: 20, max: 20 },
  mttr: { points: 0.5, max: 10 },
  changeFailureRate: { points: 25, max: 15 },
  openDiagnoses: { points: 2, max: 10 },
};

export const HEALTH_INPUT_NAMES = Object.keys(
  DEFAULT_HEALTH_WEIGHTS,
) as HealthInputName[];

/** A score with every input that made it. */
export interface HealthBreakdown {
  score: number;
  inputs: HealthInput[];
}

/**
 * An entity's health from 0 to 100, higher is healthier: 100 less a penalty per input, each
 * `points × value` rounded to a whole number, never below 0 and at most its `max`, so that no
 * single input can say everything. The score is never below 0. Inputs without data (no
 * deployments for the change failure rate, no resolved incident for MTTR) take nothing and are
 * reported with value 0.
 *
 * A growth of errors uses `log2((events + 1) / (previousEvents + 1))` so that going from 0 to 1
 * event is not an infinite rise, and a fall costs nothing; without a baseline (`errorBaseline`
 * false) it takes nothing, and new error groups and the volume speak for the errors instead; the volume term makes a steady but
 * noisy service rank below a quiet one.
 */
export function healthBreakdown(
  signals: HealthSignals,
  weights: HealthWeights = DEFAULT_HEALTH_WEIGHTS,
): HealthBreakdown {
  const values: Record<HealthInputName, [value: number, unit: string]> = {
    openIncidents: [signals.openIncidents, 'incidents'],
    diagnosesNeedingHuman: [signals.diagnosesNeedingHuman, 'diagnoses'],
    errorGrowth: [
      signals.errorBaseline === false && signals.previousEvents === 0
        ? 0
        : Math.max(
            0,
            Math.log2((signals.events + 1) / (signals.previousEvents + 1)),
          ),
      'doublings',
    ],
    errorVolume: [Math.log10(signals.events + 1), 'log10 events'],
    newErrorGroups: [signals.newErrorGroups ?? 0, 'groups'],
    regressedErrorGroups: [signals.regressedErrorGroups ?? 0, 'groups'],
    keyMetricDrop: [signals.keyMetricDrop ?? 0, 'fraction'],
    mttr: [signals.mttrHours ?? 0, 'hours'],
    changeFailureRate: [signals.changeFailureRate ?? 0, 'fraction'],
    openDiagnoses: [signals.openDiagnoses ?? 0, 'diagnoses'],
  };
  const inputs = HEALTH_INPUT_NAMES.map(name => {
    const [value, unit] = values[name];
    const { points, max } = weights[name];
    return {
      name,
      value: Math.round(value * 1000) / 1000,
      unit,
      penalty: Math.min(max, Math.max(0, Math.round(points * value))),
    };
  });
  const total = inputs.reduce((sum, input) => sum + input.penalty, 0);
  return { score: Math.max(0, 100 - total), inputs };
}

/** The score alone, with the default weights. */
export function healthScore(signals: HealthSignals): number {
  return healthBreakdown(signals).score;
}
