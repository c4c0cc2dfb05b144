import { expectedCalibrationError } from '@internal/plugin-product-os-backend/src/agent/research/calibrate';
import { DAY_MS } from '@internal/plugin-product-os-backend/src/time';
import { MATCH_WINDOW_MS, ScenarioOutcome } from './replay';

/** How one scenario went. */
export interface ScenarioVerdict {
  id: string;
  family: string;
  expected: string;
  /** Whether the labelled anomaly was found (always true for quiet scenarios). */
  detected: boolean;
  /** Culprit scenarios: the culprit is the named suspect (rank 1, enough evidence). */
  top1?: boolean;
  /** Culprit scenarios: the culprit is ranked first, whatever the confidence. */
  rank1?: boolean;
  /** Culprit scenarios: the culprit is among the first three suspects. */
  top3?: boolean;
  /** No-culprit scenarios: the diagnosis says "not enough evidence". */
  notEnoughEvidence?: boolean;
  /** Anomalies recorded that are not the labelled one. */
  falseAlarms: number;
  /** Entity-weeks those false alarms were counted over. */
  entityWeeks: number;
  got: string;
  ok: boolean;
}

export function judge(outcome: ScenarioOutcome): ScenarioVerdict {
  const { scenario, matched, anomalies } = outcome;
  const { expected } = scenario;
  const span = scenario.evaluateTo - scenario.evaluateFrom;
  const entityWeeks = (scenario.entities.length * span) / (7 * DAY_MS);
  const base = { id: scenario.id, family: scenario.family, entityWeeks };
  if (expected.type === 'quiet') {
    return {
      ...base,
      expected: 'quiet',
      detected: true,
      falseAlarms: anomalies.length,
      got: anomalies.length
        ? anomalies
            .map(a => `${a.kinds.join('+')}@${a.onsetAt.slice(5, 16)}`)
            .join(', ')
        : 'quiet',
      // Within the target of at most one false alarm per entity-week of noise.
      ok: anomalies.length <= entityWeeks,
    };
  }
  // In a labelled scenario, anomalies away from the labelled onset (on any entity) are false
  // alarms; near it, a dependency's own anomaly is the same trouble seen upstream.
  const extra = anomalies.filter(
    a =>
      a.id !== matched?.anomaly.id &&
      Math.abs(Date.parse(a.onsetAt) - expected.onsetAt) > MATCH_WINDOW_MS,
  );
  const falseAlarms = extra.length;
  const extraText = extra.length
    ? ` [other anomalies: ${extra
        .map(
          a =>
            `${a.entityRef.split('-').slice(1).join('-')} ${a.kinds.join(
              '+',
            )}@${a.onsetAt.slice(5, 16)}`,
        )
        .join(', ')}; labelled onset ${new Date(expected.onsetAt)
        .toISOString()
        .slice(5, 16)}]`
    : '';
  const diagnosis = matched?.diagnosis;
  const suspects = diagnosis?.suspects ?? [];
  const named = diagnosis?.verdict === 'suspect';
  const listed =
    suspects
      .slice(0, 3)
      .map(s => `${s.change.externalId} (${Math.round(s.confidence * 100)}%)`)
      .join(', ') || 'no candidates';
  let got = `${named ? 'named' : 'not enough evidence'}; ${listed}${extraText}`;
  if (!diagnosis) got = 'no diagnosis';
  if (!matched) got = `no anomaly${extraText}`;
  if (expected.type === 'no_culprit') {
    const nee = !!diagnosis && !named;
    return {
      ...base,
      expected: 'not enough evidence',
      detected: !!matched,
      notEnoughEvidence: nee,
      falseAlarms,
      got,
      ok: nee,
    };
  }
  const rank1 = suspects[0]?.change.externalId === expected.culprit;
  const top1 = named && rank1;
  const top3 = suspects
    .slice(0, 3)
    .some(s => s.change.externalId === expected.culprit);
  return {
    ...base,
    expected: expected.culprit,
    detected: !!matched,
    top1,
    rank1,
    top3,
    falseAlarms,
    got,
    ok: top1,
  };
}

/** The suite's figures. */
export interface SuiteFigures {
  culpritScenarios: number;
  detected: number;
  top1: number;
  rank1: number;
  top3: number;
  noCulpritScenarios: number;
  notEnoughEvidence: number;
  quietEntityWeeks: number;
  quietFalseAlarms: number;
  labelledEntityWeeks: number;
  labelledFalseAlarms: number;
}

export function summarizeVerdicts(verdicts: ScenarioVerdict[]): SuiteFigures {
  const culprit = verdicts.filter(v => v.top1 !== undefined);
  const noCulprit = verdicts.filter(v => v.notEnoughEvidence !== undefined);
  const quiet = verdicts.filter(v => v.expected === 'quiet');
  const labelled = verdicts.filter(v => v.expected !== 'quiet');
  const count = (
    list: ScenarioVerdict[],
    f: (v: ScenarioVerdict) => boolean | undefined,
  ) => list.filter(v => f(v)).length;
  const sum = (list: ScenarioVerdict[], f: (v: ScenarioVerdict) => number) =>
    list.reduce((s, v) => s + f(v), 0);
  return {
    culpritScenarios: culprit.length,
    detected: count(culprit, v => v.detected),
    top1: count(culprit, v => v.top1),
    rank1: count(culprit, v => v.rank1),
    top3: count(culprit, v => v.top3),
    noCulpritScenarios: noCulprit.length,
    notEnoughEvidence: count(noCulprit, v => v.notEnoughEvidence),
    quietEntityWeeks: sum(quiet, v => v.entityWeeks),
    quietFalseAlarms: sum(quiet, v => v.falseAlarms),
    labelledEntityWeeks: sum(labelled, v => v.entityWeeks),
    labelledFalseAlarms: sum(labelled, v => v.falseAlarms),
  };
}

/** The top suspects' figures the targets are about: ECE, and how sure the wrong ones were. */
export function topSuspectFigures(
  tops: { confidence: number; culprit: boolean }[],
) {
  const wrong = tops.filter(t => !t.culprit).map(t => t.confidence);
  return {
    ece: expectedCalibrationError(tops),
    wrongAbove90: wrong.filter(c => c > 0.9).length,
    maxWrong: Math.max(0, ...wrong),
  };
}

/** `12.5 % (1/8)`. */
export function pct(n: number, d: number): string {
  return d ? `${((100 * n) / d).toFixed(1)} % (${n}/${d})` : 'n/a';
}
