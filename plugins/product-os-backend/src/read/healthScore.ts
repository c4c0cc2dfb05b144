/** The numbers an entity's health score is made of. */
export interface HealthSignals {
  /** Error events in the window. */
  events: number;
  /** Error events in the window of the same length just before. */
  previousEvents: number;
  openIncidents: number;
  diagnosesNeedingHuman: number;
}

/**
 * An entity's health from 0 to 100, higher is healthier: 100 less a penalty per signal, each
 * capped so that no single signal can say everything.
 *
 * - open incidents: 25 each, at most 50. An incident is someone already hurting.
 * - open diagnoses that need a human: 10 each, at most 20. The agent found something it cannot
 *   settle alone.
 * - error growth: 10 per doubling of events against the previous window, at most 20, computed
 *   as `10 × log2((events + 1) / (previousEvents + 1))` so that going from 0 to 1 event is not an
 *   infinite rise; a fall costs nothing.
 * - error volume: `2.5 × log10(events + 1)`, at most 10 (10 events cost 3, 100 cost 5, 10 000
 *   cost 10), so a steady but noisy service ranks below a quiet one.
 *
 * Each penalty is rounded to a whole number; the score is 100 less their sum, never below 0.
 */
export function healthScore(signals: HealthSignals): number {
  const incidents = Math.min(50, 25 * signals.openIncidents);
  const diagnoses = Math.min(20, 10 * signals.diagnosesNeedingHuman);
  const growth = Math.min(
    20,
    Math.max(
      0,
      Math.round(
        10 * Math.log2((signals.events + 1) / (signals.previousEvents + 1)),
      ),
    ),
  );
  const volume = Math.min(10, Math.round(2.5 * Math.log10(signals.events + 1)));
  return Math.max(0, 100 - incidents - diagnoses - growth - volume);
}
