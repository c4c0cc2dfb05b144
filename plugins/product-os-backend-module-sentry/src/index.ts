/**
 * Product OS source module for Sentry.
 *
 * @packageDocumentation
 */
export { productOsModuleSentry as default } from './module';
