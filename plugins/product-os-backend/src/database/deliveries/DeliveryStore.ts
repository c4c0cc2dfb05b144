import type { SourceId } from '@internal/plugin-product-os-common';

export interface UnmappedDelivery {
  source: string;
  key: string;
  count: number;
  firstSeen: string;
  lastSeen: string;
}

/**
 * The vendor deliveries Product OS has seen: the ids of those processed (claimed by the ingest
 * transaction, see `claimDelivery`) and counts of those no catalog entity claims.
 */
export interface DeliveryStore {
  /** Counts a delivery for a key no entity claims. */
  recordUnmapped(source: SourceId, key: string, at: number): Promise<void>;
  /** A page of the unmapped keys, most recently seen first (default: the first 100). */
  listUnmapped(page?: {
    limit: number;
    offset: number;
  }): Promise<UnmappedDelivery[]>;
  /** How many unmapped keys there are, over every page. */
  countUnmapped(): Promise<number>;
}
