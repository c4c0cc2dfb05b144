import type { SourceId } from '@internal/plugin-product-os-common';
import type {
  ProductOsIngestStore,
  SyncState,
} from '@internal/plugin-product-os-node';

/** Where each source's pull sync left off, per scope (a repository, a project). */
export interface SyncStore
  extends Pick<ProductOsIngestStore, 'getSyncState' | 'saveSyncState'> {
  /** The states of several scopes of a source at once (an entity page asks for all its pulls). */
  getSyncStates(source: SourceId, scopes: string[]): Promise<SyncState[]>;
}
