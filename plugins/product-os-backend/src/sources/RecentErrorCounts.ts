import type { ErrorGroupKey } from '@internal/plugin-product-os-node';

/** Stored events per hour, by the hour's start (epoch ms); an hour without events is absent. */
export type HourlyCounts = Map<number, number>;

/** The recent hourly counts of some error groups, and of their entities' errors in total. */
export interface RecentHourlyCounts {
  /** By {@link errorGroupId}. */
  groups: Map<string, HourlyCounts>;
  /** By entity ref: every group of the entity, from every source. */
  entities: Map<string, HourlyCounts>;
}

/**
 * The part of the store the sharp-rise check reads: the hourly error buckets ingestion already
 * writes, so every backend instance, and one just restarted, judges the same counts.
 */
export interface RecentErrorCounts {
  /** The hourly counts, from the hour starting at `since` on, of the groups and of the entities. */
  hourlyCounts(query: {
    groups: ErrorGroupKey[];
    entityRefs: string[];
    since: number;
  }): Promise<RecentHourlyCounts>;
}

/** A group's key in {@link RecentHourlyCounts.groups}. */
export function errorGroupId(group: ErrorGroupKey): string {
  return `${group.entityRef}\u0000${group.source}\u0000${group.fingerprint}`;
}
