/**
 * Product OS backend plugin.
 *
 * @packageDocumentation
 */
export { productOsPlugin as default } from './plugin';
export type { ProductOsStore } from './database/ProductOsStore';
export { DatabaseProductOsStore } from './database/DatabaseProductOsStore';
export { narrateDiagnosis } from './agent/narrate';
export type {
  NarrateDiagnosisInput,
  NarrateDiagnosisOptions,
  NarrationOutcome,
} from './agent/narrate';
