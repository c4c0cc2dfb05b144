/**
 * Product OS source module for GitHub webhooks.
 *
 * @packageDocumentation
 */
export { productOsModuleGithub as default } from './module';
