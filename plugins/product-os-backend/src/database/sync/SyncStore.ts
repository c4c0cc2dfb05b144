import type { ProductOsIngestStore } from '@internal/plugin-product-os-node';

/** Where each source's pull sync left off, per scope (a repository, a project). */
export type SyncStore = Pick<
  ProductOsIngestStore,
  'getSyncState' | 'saveSyncState'
>;
