/**
 * Product OS module that narrates diagnosis summaries with an OpenAI-compatible endpoint.
 *
 * @packageDocumentation
 */
export { productOsModuleOpenAiNarrator as default } from './module';
export { OpenAiCompatibleNarrator } from './OpenAiCompatibleNarrator';
export type { OpenAiNarratorConfig } from './config';
