/**
 * Product OS source module for PagerDuty: V3 webhooks and the Events API v2.
 *
 * @packageDocumentation
 */
export { productOsModulePagerDuty as default } from './module';
