import type { CalibrationModel } from './calibrate';

/**
 * Fitted by `yarn bench:diagnosis --fit` (logistic regression, see `calibrate.ts`) on the
 * candidates of 222 labelled training scenarios, seeds 10001-10074, 20001-20074, 30001-30074, disjoint from the
 * benchmark's: 1020 candidates of which 160 were the cause; Brier score on them 0.0092.
 */
export const calibrationModel: CalibrationModel = {
  intercept: -2.5863,
  score: 1.1439,
  margin: 2.2985,
  code: -0.0524,
  codeKnown: -1.0418,
  codeAgainst: -0.8929,
};
