/**
 * Product OS source module for PostHog: capture endpoints compatible with the PostHog SDKs.
 *
 * @packageDocumentation
 */
export { productOsModulePostHog as default } from './module';
