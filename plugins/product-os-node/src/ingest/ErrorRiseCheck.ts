import type { ErrorGroupKey } from '../store';

/**
 * Judges whether errors rose sharply, once the events of some error groups were stored. The host
 * provides it (from the counts the store keeps), so every source's errors are judged the same way.
 *
 * @public
 */
export interface ErrorRiseCheck {
  /** The entities whose errors, of one of these groups or in total, rose sharply. */
  risen(groups: ErrorGroupKey[]): Promise<string[]>;
}
