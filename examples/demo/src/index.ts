/**
 * The Product OS demo: a web shop whose example services send errors, product events, deploys
 * and incidents to this backend, with a scripted bad deploy for the diagnosis agent to find.
 *
 * @packageDocumentation
 */
export { productOsModuleDemo as default } from './module';
export { BAD_PULL_REQUEST } from './scenario/badDeploy';
