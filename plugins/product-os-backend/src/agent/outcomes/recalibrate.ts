import type { Diagnosis } from '@internal/plugin-product-os-common';
import type { LabelledConfidence } from '../../database/outcomes/OutcomeStore';
import type { EvidenceInput } from '../../database/anomalies/DiagnosisStore';
import type { RankedSuspect } from '../types';

/*
 * The installation's own correction of the built-in calibration: from the outcomes of its
 * diagnoses (was the top suspect the cause?), per bin of confidence, how often suspects given
 * that confidence were the cause here, and a bounded shift of later confidences in that bin
 * towards it. Applied after `research/calibrate.ts`, never instead of it.
 */

/** The rules of the adjustment, documented in the agent's README ("Learning from outcomes"). */
export const RECALIBRATION = {
  /** Bins of confidence 0.2 wide, as the benchmark's reliability table. */
  binWidth: 0.2,
  /** Outcomes a bin needs before it moves anything. */
  minOutcomes: 10,
  /**
   * Pseudo-outcomes of the built-in calibration's own claim (a bin's mean confidence) that the
   * observed rate is blended with: with 10 outcomes it moves half way to what was observed.
   */
  priorStrength: 10,
  /** The most it moves a confidence, up or down. */
  maxShift: 0.1,
  /** The newest outcomes that count, so an old world does not outweigh how things are now. */
  history: 500,
} as const;

/** One bin's correction. */
export interface RecalibrationBin {
  from: number;
  to: number;
  /** Outcomes of top suspects whose built-in confidence fell in the bin. */
  outcomes: number;
  /** Of them, how many were the cause. */
  causes: number;
  /** Their mean built-in confidence. */
  predicted: number;
  /** The blended rate: (causes + priorStrength · predicted) / (outcomes + priorStrength). */
  target: number;
  /** Log-odds added to a confidence in the bin; 0 while the bin has too few outcomes. */
  shift: number;
}

export interface Recalibration {
  bins: RecalibrationBin[];
}

/** The adjustment the outcomes call for. */
export function fitRecalibration(
  labelled: LabelledConfidence[],
): Recalibration {
  const { binWidth, minOutcomes, priorStrength } = RECALIBRATION;
  const count = Math.round(1 / binWidth);
  const bins = Array.from({ length: count }, (_, i) => ({
    from: round(i * binWidth),
    to: round((i + 1) * binWidth),
    items: [] as LabelledConfidence[],
  }));
  for (const l of labelled) bins[binOf(l.confidence)].items.push(l);
  return {
    bins: bins.map(bin => {
      const outcomes = bin.items.length;
      const causes = bin.items.filter(i => i.suspectWasCause).length;
      const predicted = outcomes
        ? bin.items.reduce((s, i) => s + i.confidence, 0) / outcomes
        : (bin.from + bin.to) / 2;
      const target =
        (causes + priorStrength * predicted) / (outcomes + priorStrength);
      const shift =
        outcomes >= minOutcomes ? logit(target) - logit(predicted) : 0;
      return {
        from: bin.from,
        to: bin.to,
        outcomes,
        causes,
        predicted,
        target,
        shift,
      };
    }),
  };
}

/**
 * A confidence after the bin's shift, never more than `maxShift` from where it was, nor further
 * than the bin was found off (its target against its mean confidence): the shift is fitted at
 * the bin's mean, and in log-odds it grows towards the bin's far edge (in a bin whose mean is
 * 0.98 and whose outcomes say 0.93, 0.85 would otherwise drop to 0.75).
 */
export function recalibrateConfidence(
  confidence: number,
  recalibration: Recalibration,
): number {
  const bin = recalibration.bins[binOf(confidence)];
  if (bin.shift === 0) return confidence;
  const moved = 1 / (1 + Math.exp(-(logit(confidence) + bin.shift)));
  const limit = Math.min(
    RECALIBRATION.maxShift,
    Math.abs(bin.target - bin.predicted),
  );
  return Math.min(confidence + limit, Math.max(confidence - limit, moved));
}

/** What recalibrating one anomaly's suspects did to its top suspect. */
export interface Recalibrated {
  suspects: RankedSuspect[];
  /** Evidence for the diagnosis, when the top suspect's confidence moved. */
  evidence?: EvidenceInput;
}

/**
 * Every suspect's confidence moved by its bin's shift; when they then add up to more than 1
 * they are scaled down to sum to 1, as the built-in calibration does (at most one is the cause),
 * which can lower them further but never raises them.
 */
export function recalibrateSuspects(
  suspects: RankedSuspect[],
  recalibration: Recalibration,
): Recalibrated {
  if (suspects.length === 0) return { suspects };
  const moved = suspects.map(s =>
    recalibrateConfidence(s.confidence, recalibration),
  );
  const sum = moved.reduce((a, b) => a + b, 0);
  const scaled = sum > 1 ? moved.map(c => c / sum) : moved;
  const next = suspects.map((s, i) => ({ ...s, confidence: scaled[i] }));
  const before = suspects[0].confidence;
  const after = next[0].confidence;
  if (Math.round(before * 100) === Math.round(after * 100))
    return { suspects: next };
  const bin = recalibration.bins[binOf(before)];
  return {
    suspects: next,
    evidence: {
      kind: 'recalibration',
      description: `Confidence ${percent(before)} → ${percent(
        after,
      )} from this portal's outcomes: of ${
        bin.outcomes
      } top suspects given ${percent(bin.from)}–${percent(bin.to)}, ${
        bin.causes
      } were the cause`,
      weight: 0,
      facts: {
        before: round3(before),
        after: round3(after),
        binFrom: bin.from,
        binTo: bin.to,
        outcomes: bin.outcomes,
        causes: bin.causes,
      },
    },
  };
}

/**
 * The top suspect's confidence as the built-in calibration gave it: what the outcomes are
 * recorded against, so the adjustment learns from the model it corrects, not from itself.
 */
export function baseConfidence(diagnosis: Diagnosis): number {
  const before = diagnosis.evidence.find(e => e.kind === 'recalibration')?.facts
    ?.before;
  return typeof before === 'number' ? before : diagnosis.confidence;
}

function binOf(confidence: number): number {
  const count = Math.round(1 / RECALIBRATION.binWidth);
  return Math.min(count - 1, Math.max(0, Math.floor(confidence * count)));
}

function logit(p: number): number {
  const q = Math.min(1 - 1e-6, Math.max(1e-6, p));
  return Math.log(q / (1 - q));
}

function percent(value: number): string {
  return `${Math.round(value * 100)}%`;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
