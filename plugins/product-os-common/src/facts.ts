import type { DoraBands, DoraFigures, HealthInput } from './leaders';
import type { TimeWindow } from './types';

/**
 * What Product OS knows about one entity over a window, as numbers a scorecard can check
 * (`GET /facts`, the Tech Insights fact retriever, the agents' entity-health tool).
 *
 * @public
 */
export interface EntityFacts {
  entityRef: string;
  window: TimeWindow;
  /** The health score of the window, 0 to 100, higher is healthier. */
  healthScore: number;
  /** Every input of the score with the points it took off. */
  healthInputs: HealthInput[];
  errors: {
    /** Error events in the window. */
    events: number;
    /** Error events in the window of the same length just before. */
    previousEvents: number;
    /** Error groups first seen in the window. */
    newGroups: number;
    /** Error groups that came back after being resolved, in the window. */
    regressedGroups: number;
  };
  /** Incidents open at the window's end. */
  openIncidents: number;
  /** Diagnoses open at the window's end, whether or not they wait for a person. */
  openDiagnoses: number;
  /** Open diagnoses that wait for a person (see {@link WAITING_FOR_A_PERSON}). */
  diagnosesNeedingHuman: number;
  /** DORA of the `days` ending with the window; figures are `null` where nothing was measured. */
  dora: { days: number; figures: DoraFigures; bands: DoraBands };
}
