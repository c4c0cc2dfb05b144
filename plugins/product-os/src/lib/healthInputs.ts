import type {
  HealthInput,
  HealthInputName,
} from '@internal/plugin-product-os-common';
import { formatCount, formatDuration, formatPercent } from './format';

/** How each input of the health score reads, instead of its name in the API. */
export const HEALTH_INPUT_LABELS: Record<HealthInputName, string> = {
  openIncidents: 'Open incidents',
  diagnosesNeedingHuman: 'Diagnoses waiting for a person',
  openDiagnoses: 'Diagnoses still collecting evidence',
  errorGrowth: 'Error growth',
  errorVolume: 'Error volume',
  newErrorGroups: 'New error groups',
  regressedErrorGroups: 'Regressed error groups',
  keyMetricDrop: 'Key metric drop',
  mttr: 'Median time to resolve',
  changeFailureRate: 'Change failure rate',
};

const HOUR_MS = 3_600_000;

/** 1.4, 12, 373: a tenth is worth saying only for small factors. */
function formatFactor(factor: number): string {
  return factor < 10 ? factor.toFixed(1) : formatCount(Math.round(factor));
}

/**
 * An input's measured value as a reader says it. The API gives error growth in doublings and
 * error volume as log10(events + 1), the units the score is computed in; people read a factor
 * and a count.
 */
export function describeInputValue(input: HealthInput): string {
  switch (input.unit) {
    case 'doublings':
      return `×${formatFactor(2 ** input.value)} vs the window before`;
    case 'log10 events':
      return `${formatCount(Math.round(10 ** input.value - 1))} events`;
    case 'fraction':
      return formatPercent(input.value);
    case 'hours':
      return formatDuration(input.value * HOUR_MS);
    default:
      // A count (incidents, diagnoses, groups): the input's label already says of what.
      return formatCount(input.value);
  }
}

/** The inputs that took points off, largest first: what a reader should look at. */
export function penalisingInputs(
  inputs: readonly HealthInput[],
): HealthInput[] {
  return inputs
    .filter(input => input.penalty > 0)
    .sort((a, b) => b.penalty - a.penalty);
}

/**
 * "−25 open incidents (1)": one input's share of the score, in a line. Error growth against an
 * empty window before says so rather than giving a factor from nothing. (Without any baseline,
 * errors that all began in the window, the score takes nothing for growth, so no line.)
 */
export function describePenalty(
  input: HealthInput,
  errors?: { events: number; previousEvents: number },
): string {
  const value =
    input.name === 'errorGrowth' && errors?.previousEvents === 0
      ? `${formatCount(errors.events)} events, none the window before`
      : describeInputValue(input);
  return `−${input.penalty} ${HEALTH_INPUT_LABELS[input.name].toLocaleLowerCase(
    'en-US',
  )} (${value})`;
}
