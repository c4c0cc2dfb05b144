import type {
  ChangeEvent,
  ChangeKind,
} from '@internal/plugin-product-os-common';
import type { TimeRange } from '../TimeRange';

export interface ChangeQuery extends TimeRange {
  kinds?: ChangeKind[];
  limit?: number;
}

/** Deployments, pull requests and other changes (written by `ingestChanges`), newest first. */
export interface ChangeStore {
  getChangeEvents(
    entityRef: string,
    query: ChangeQuery,
  ): Promise<ChangeEvent[]>;
  getChangeEventsForEntities(
    entityRefs: string[],
    query: ChangeQuery,
  ): Promise<ChangeEvent[]>;
}
