import type { ErrorGroupKey } from '../store';

/**
 * Judges whether errors rose sharply, once the events of some error groups were stored. The host
 * provides it (from the counts the store keeps), so every source's errors are judged the same way.
 *
 * @public
 */
export interface ErrorRiseCheck {
  /**
   * The entities whose errors, of one of these groups or in total, rose sharply. `events`, by
   * `entityRef source fingerprint`, says how many events of each group the write stored (a
   * pulled count that rose counts one), so a check can judge again as soon as a threshold
   * could have been reached.
   */
  risen(
    groups: ErrorGroupKey[],
    events?: ReadonlyMap<string, number>,
  ): Promise<string[]>;
}
