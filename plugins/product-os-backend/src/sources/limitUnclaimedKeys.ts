import type {
  ProductOsIngestStore,
  SharedRateLimit,
} from '@internal/plugin-product-os-node';

/**
 * The store a source writes through, with every key no entity claims counted against one rate
 * per source (the source mounted, whatever it writes as): a sender inventing a fresh project or routing key per request gets the per-key
 * allowance of the module's own limit every time, so without this it would never see a 429.
 * Over the rate, `recordUnmapped` fails with the 429 (nothing is counted) and the request with it.
 */
export function limitUnclaimedKeys(
  store: ProductOsIngestStore,
  limit: SharedRateLimit,
  /** The mounted source's id, whose routes these writes serve. */
  sourceId: string,
): ProductOsIngestStore {
  return {
    ingest: (options, write) => store.ingest(options, write),
    getSyncState: (source, scope) => store.getSyncState(source, scope),
    saveSyncState: state => store.saveSyncState(state),
    async recordUnmapped(source, key, at) {
      limit(`unclaimed:${sourceId}`);
      await store.recordUnmapped(source, key, at);
    },
  };
}
