import type { CalibrationModel } from './calibrate';

/**
 * Fitted by `yarn bench:diagnosis --fit` (logistic regression, see `calibrate.ts`) on the
 * candidates of 222 labelled training scenarios, seeds 10001-10074, 20001-20074, 30001-30074, disjoint from the
 * benchmark's: 1020 candidates of which 160 were the cause; Brier score on them 0.0326.
 */
export const calibrationModel: CalibrationModel = {
  intercept: -2.034,
  score: 1.069,
  margin: 0.9845,
  code: 0.5892,
  codeKnown: -1.7701,
};
