/**
 * Product OS backend plugin.
 *
 * @packageDocumentation
 */
export { productOsPlugin as default } from './plugin';
export { createProductOsStores } from './database/createProductOsStores';
export type { ProductOsStores } from './database/createProductOsStores';
export { narrateDiagnosis } from './agent/narrate';
export type {
  NarrateDiagnosisInput,
  NarrateDiagnosisOptions,
  NarrationOutcome,
} from './agent/narrate';
