import { calibrationModel } from './calibrationModel';
import type {
  CalibrationExample,
  CalibrationInput,
  CalibrationModel,
  CeilingKey,
} from './calibrationTypes';

// Applies and fits the confidence calibration. The model and its inputs are described in
// `calibrationTypes.ts`, apart from this file so that the fitted model's data file
// (`calibrationModel.ts`) and the code using it depend on the types, not on each other.

/** Each score's margin over the best other score, or over 0 when it is the only one. */
export function margins(scores: number[]): number[] {
  let best = 0;
  let second = 0;
  for (const score of scores) {
    if (score > best) {
      second = best;
      best = score;
    } else if (score > second) {
      second = score;
    }
  }
  const bestCount = scores.filter(s => s === best).length;
  return scores.map(
    score => score - (score === best && bestCount === 1 ? second : best),
  );
}

/** Calibrated confidences of one anomaly's candidates, in their order. */
export function calibrate(
  candidates: CalibrationInput[],
  model: CalibrationModel = calibrationModel,
): number[] {
  const raw = margins(candidates.map(c => c.score)).map((margin, i) =>
    probability(model, { ...candidates[i], margin }),
  );
  const sum = raw.reduce((a, b) => a + b, 0);
  return sum > 1 ? raw.map(p => p / sum) : raw;
}

/** Traffic explains most of an error rise from this share on. */
const TRAFFIC_MOSTLY = 0.5;

/**
 * The kinds of candidate whose confidence has a ceiling (see `CalibrationModel`): timing only
 * inside a wide window, the entity's own change for failed outbound calls, and any change when
 * traffic explains most of the error rise.
 */
const CEILINGS: {
  key: CeilingKey;
  applies: (x: CalibrationInput) => boolean;
}[] = [
  { key: 'timingOnlyCeiling', applies: x => !!x.timingOnly },
  { key: 'outboundCeiling', applies: x => !!x.outbound },
  { key: 'trafficCeiling', applies: x => (x.traffic ?? 0) >= TRAFFIC_MOSTLY },
];

export function probability(
  model: CalibrationModel,
  x: CalibrationInput & { margin: number },
): number {
  let p = logistic(model, x);
  for (const { key, applies } of CEILINGS) {
    const ceiling = model[key];
    if (ceiling !== undefined && applies(x)) p = Math.min(p, ceiling);
  }
  return p;
}

/**
 * Whether a ceiling sets the candidate's confidence: ranked first in its anomaly, and of a kind
 * with a ceiling. Its confidence is then its cases' share of causes, not the logistic part's,
 * so it is left out of that part's fit.
 */
function underCeiling(e: CalibrationExample): boolean {
  return e.margin > 0 && CEILINGS.some(({ applies }) => applies(e));
}

function logistic(
  model: CalibrationModel,
  x: CalibrationInput & { margin: number },
): number {
  return (
    1 /
    (1 +
      Math.exp(
        -(
          model.intercept +
          model.score * x.score +
          model.margin * x.margin +
          model.code * x.code +
          model.codeKnown * x.codeKnown +
          model.codeAgainst * x.codeAgainst +
          (model.onsetWidth ?? 0) * (x.onsetWidth ?? 0) +
          (model.traffic ?? 0) * (x.traffic ?? 0) +
          (model.trafficScore ?? 0) * (x.traffic ?? 0) * x.score
        ),
      ))
  );
}

/**
 * Fits the model by logistic regression (gradient descent on the mean log loss, with a little
 * L2 regularisation so that separable training data does not send coefficients to infinity),
 * and the ceilings (timing only, the entity's own change for failed outbound calls, traffic
 * explaining the rise) from how often such candidates were the cause when ranked first. Those
 * ranked-first candidates are left out of the logistic part: the ceiling sets their confidence,
 * and counted there too they pulled other candidates of a similar score down with them (on the
 * training and development seeds, top suspects given 0.6–0.8 were the cause about 85 % of the
 * time).
 */
export function fitCalibration(
  examples: CalibrationExample[],
  options: { iterations?: number; learningRate?: number; l2?: number } = {},
): CalibrationModel {
  const iterations = options.iterations ?? 5000;
  const rate = options.learningRate ?? 0.1;
  const l2 = options.l2 ?? 0.001;
  const keys = [
    'score',
    'margin',
    'code',
    'codeKnown',
    'codeAgainst',
    'onsetWidth',
    'traffic',
    'trafficScore',
  ] as const;
  const zero = {
    intercept: 0,
    score: 0,
    margin: 0,
    code: 0,
    codeKnown: 0,
    codeAgainst: 0,
    onsetWidth: 0,
    traffic: 0,
    trafficScore: 0,
  };
  let model: Required<Omit<CalibrationModel, CeilingKey>> = {
    ...zero,
  };
  if (examples.length === 0) return model;
  const logisticExamples = examples.filter(e => !underCeiling(e));
  for (let i = 0; logisticExamples.length && i < iterations; i++) {
    const gradient = { ...zero };
    for (const e of logisticExamples) {
      const error = logistic(model, e) - (e.culprit ? 1 : 0);
      gradient.intercept += error;
      for (const key of keys) gradient[key] += error * input(e, key);
    }
    const n = logisticExamples.length;
    const next = {
      ...model,
      intercept: model.intercept - rate * (gradient.intercept / n),
    };
    for (const key of keys)
      next[key] = model[key] - rate * (gradient[key] / n + l2 * model[key]);
    model = next;
  }
  // Such a change is the best candidate of its anomaly when it is named at all; the others in
  // the window are left to the logistic part.
  const fitted: CalibrationModel = { ...model };
  for (const { key, applies } of CEILINGS) {
    const governed = examples.filter(e => e.margin > 0 && applies(e));
    if (governed.length === 0) continue;
    const causes = governed.filter(e => e.culprit).length;
    fitted[key] = (causes + 1) / (governed.length + 2);
  }
  return fitted;
}

/** The value of one input of the model for an example; `trafficScore` is traffic × score. */
function input(
  e: CalibrationExample,
  key: Exclude<keyof CalibrationModel, 'intercept' | CeilingKey>,
): number {
  if (key === 'trafficScore') return (e.traffic ?? 0) * e.score;
  return e[key] ?? 0;
}

/** Mean squared error of the probabilities (lower is better; 0.25 is a coin). */
export function brierScore(
  examples: { confidence: number; culprit: boolean }[],
): number {
  if (examples.length === 0) return 0;
  return (
    examples.reduce(
      (sum, e) => sum + (e.confidence - (e.culprit ? 1 : 0)) ** 2,
      0,
    ) / examples.length
  );
}

/** Predicted against observed frequency in confidence bins of 0.2. */
export function reliability(
  examples: { confidence: number; culprit: boolean }[],
): {
  from: number;
  to: number;
  count: number;
  predicted: number;
  observed: number;
}[] {
  const bins = [0, 0.2, 0.4, 0.6, 0.8].map(from => ({
    from,
    to: from + 0.2,
    items: [] as typeof examples,
  }));
  for (const e of examples)
    bins[Math.min(4, Math.floor(e.confidence / 0.2))].items.push(e);
  return bins.map(bin => ({
    from: bin.from,
    to: Math.round(bin.to * 10) / 10,
    count: bin.items.length,
    predicted: bin.items.length
      ? bin.items.reduce((s, e) => s + e.confidence, 0) / bin.items.length
      : 0,
    observed: bin.items.length
      ? bin.items.filter(e => e.culprit).length / bin.items.length
      : 0,
  }));
}

/**
 * Expected calibration error: the mean gap between confidence and how often it was right, over
 * ten bins of confidence, each bin weighted by its share of the examples.
 */
export function expectedCalibrationError(
  examples: { confidence: number; culprit: boolean }[],
  bins = 10,
): number {
  if (examples.length === 0) return 0;
  const groups = Array.from(
    { length: bins },
    () => [] as { confidence: number; culprit: boolean }[],
  );
  for (const e of examples)
    groups[Math.min(bins - 1, Math.floor(e.confidence * bins))].push(e);
  return groups.reduce((sum, group) => {
    if (group.length === 0) return sum;
    const confidence =
      group.reduce((s, e) => s + e.confidence, 0) / group.length;
    const observed = group.filter(e => e.culprit).length / group.length;
    return (
      sum + (group.length / examples.length) * Math.abs(confidence - observed)
    );
  }, 0);
}
