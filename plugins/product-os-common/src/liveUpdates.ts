/*
 * Live updates of an entity's Product OS data: the backend publishes a Backstage signal on the
 * entity's channel when what its page shows changed, and the page loads again.
 */

/** What changed about an entity: the part of its page that is out of date. @public */
export type EntityTopic =
  | 'errors'
  | 'changes'
  | 'incidents'
  | 'metrics'
  | 'anomalies'
  | 'diagnoses';

/** Every topic, in the order the page shows them. @public */
export const ENTITY_TOPICS: readonly EntityTopic[] = [
  'diagnoses',
  'anomalies',
  'incidents',
  'errors',
  'changes',
  'metrics',
];

/**
 * The message of a live update. It says only that something changed, never what: the signal is
 * broadcast, and whoever may read the entity loads the details through the permission-checked
 * read API. @public
 */
export interface EntityChangedMessage {
  [key: string]: string | string[];
  entityRef: string;
  topics: EntityTopic[];
}

/**
 * The signal channel of an entity's live updates, e.g.
 * `product-os:entity:component:default/checkout-api` (the ref in lower case, as the catalog
 * compares refs). @public
 */
export function entityChannel(entityRef: string): string {
  return `product-os:entity:${entityRef.toLocaleLowerCase('en-US')}`;
}
