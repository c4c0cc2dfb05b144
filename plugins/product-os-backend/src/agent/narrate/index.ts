export { narrateDiagnosis } from './narrateDiagnosis';
export type {
  NarrateDiagnosisOptions,
  NarrationFallbackReason,
  NarrationOutcome,
} from './narrateDiagnosis';
export type { NarrateDiagnosisInput } from './buildNarrationInput';
export { UNTRUSTED_INSTRUCTION } from './applyNarration';
export { detectInstructions } from './detectInstructions';
