import type { CalibrationModel } from './calibrationTypes';
import calibration from './calibration.json';

/**
 * The confidence calibration in use. Its coefficients are data, fitted by
 * `yarn bench:diagnosis --fit` (logistic regression, see `calibrate.ts`) on the candidates of
 * labelled training scenarios disjoint from the benchmark's; `calibration.json` records on which
 * seeds, how many candidates and causes, and the Brier score on them.
 */
export const calibrationModel: CalibrationModel = calibration.model;
