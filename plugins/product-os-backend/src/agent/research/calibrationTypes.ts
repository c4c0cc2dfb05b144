/**
 * Maps ranking scores to probabilities. A suspect's confidence is a logistic function of its
 * score, of its margin over the best other candidate (or over "no change", score 0), of its
 * code-overlap value (whether the failing code itself points at the change, the one feature that
 * is not a consequence of timing), of how much of the anomaly's failing code could be compared at
 * all (an incident or a metric drop has no stack, a minified bundle no readable one), since the
 * same score means less when the strongest kind of evidence was available and did not show up,
 * and of how much of it points away from the change (its files match none of the readable
 * frames). The last one is apart from `code` because its meaning is not a matter of degree: a
 * change near the onset whose files the failing code never passes through (an outage of a third
 * party that a deployment happened to precede) has nothing but timing for it, and timing, release
 * and novelty all say the same thing, so they must not add up to confidence on their own:
 *
 *   confidence = 1 / (1 + exp(-(intercept + a * score + b * margin + c * code + d * codeKnown
 *                               + e * codeAgainst)))
 *
 * The coefficients are fitted by logistic regression (`fitCalibration`) on labelled scenarios
 * whose seeds are disjoint from those the benchmark reports on (`yarn bench:diagnosis --fit`
 * writes the fit to `calibration.json`), so a confidence of 0.8 means that about 80 % of suspects
 * given 0.8 on such timelines were the cause; the benchmark prints the reliability table and
 * Brier score on its own seeds to check it. When the confidences of one anomaly's candidates
 * add up to more than 1 they are scaled down to sum to 1, since at most one is the cause.
 */
/** The ceilings a calibration may set on the confidence of a kind of candidate. */
export const CEILING_KEYS = [
  'timingOnlyCeiling',
  'outboundCeiling',
  'trafficCeiling',
] as const;
export type CeilingKey = (typeof CEILING_KEYS)[number];

export interface CalibrationModel {
  intercept: number;
  score: number;
  margin: number;
  code: number;
  codeKnown: number;
  codeAgainst: number;
  /** Coefficients of the inputs added later; a model fitted before them leaves them out. */
  onsetWidth?: number;
  traffic?: number;
  /**
   * Of traffic × score: traffic explaining an error rise discounts all the evidence for a
   * change, not a fixed amount of it. Errors rising with use are ordinary errors at higher
   * volume, so a deployment whose files are in their frames did not cause the rise, however
   * strong the match; a fixed term alone left such a change at 0.95.
   */
  trafficScore?: number;
  /**
   * The most confidence a suspect gets whose only evidence is having gone live inside an onset
   * window wider than an incident's, or less than its width before it (`timingOnly`): the share of such candidates of the training
   * split, ranked first in their anomaly, that were the cause, smoothed ((causes + 1) /
   * (candidates + 2)). The logistic part
   * cannot say it, since such a change is usually the only one near the onset and its margin
   * alone put it at 0.7–0.9, while a key metric falling some time in an hour after a deployment
   * of unrelated code is common. Absent: no ceiling.
   */
  timingOnlyCeiling?: number;
  /**
   * The most confidence an entity's own change gets when most of the trouble is failed calls
   * to a dependency or to the far side of a call (`outbound`): the share of such candidates of
   * the training split, ranked first in their anomaly, that were the cause, smoothed as the
   * timing-only ceiling is. A failed call is as well explained by whatever broke on the other
   * side as by the caller, and the caller's change to the very client making the call (its
   * file in the only frame compared) went live minutes before in the decoys of outages, data
   * pushes and dependency chains alike, which the logistic part took for a file in the frames
   * and named at 0.99. Absent: no ceiling.
   */
  outboundCeiling?: number;
  /**
   * The most confidence any change gets when traffic explains most of the error rise (`traffic`
   * at least 0.5), fitted as the other ceilings: errors rising with use are the usual errors at a
   * higher volume, and a deployment whose files are in their frames, an hour before, was named
   * at 0.8 by the logistic part, whose traffic terms rest on a handful of such cases. A change
   * that did break something raises its errors beyond what traffic explains. Absent: no ceiling.
   */
  trafficCeiling?: number;
}

/** What the calibration looks at of one candidate. */
export interface CalibrationInput {
  score: number;
  /** The candidate's code-overlap feature value. */
  code: number;
  /** Share of the anomaly (by excess) whose error groups have readable source frames, 0 to 1. */
  codeKnown: number;
  /** That share when the change has files and they match none of those frames, else 0. */
  codeAgainst: number;
  /**
   * Hours (up to 2) of the onset's window of uncertainty, when the change went live inside it
   * or less than its width before it.
   */
  onsetWidth?: number;
  /** How much of the error rise traffic explains (key metrics rising with it), 0 to 1. */
  traffic?: number;
  /**
   * Went live inside such a wide onset window (or less than its width before it) and nothing
   * else speaks for it: no code, release or novelty evidence, and for a key metric's drop no
   * more than a minority of its files about the metric.
   */
  timingOnly?: boolean;
  /**
   * A change of the anomalous entity itself when at least half of the trouble (by excess) is
   * failed outbound calls: the entity noticed it where it calls out, so its own code is
   * evidence only of where the trouble was seen.
   */
  outbound?: boolean;
}

/** One candidate of a labelled anomaly. */
export interface CalibrationExample extends CalibrationInput {
  margin: number;
  culprit: boolean;
}
