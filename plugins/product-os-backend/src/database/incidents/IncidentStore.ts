import type { Incident } from '@internal/plugin-product-os-common';
import type { TimeRange } from '../TimeRange';

/** Incidents and their timelines (written by `ingestIncidents`). */
export interface IncidentStore {
  /** Incidents created in the range, and those still open or resolved inside it, newest first. */
  getIncidents(entityRef: string, range: TimeRange): Promise<Incident[]>;
  /** Entities with an incident created since `since`. */
  listActiveEntities(since: number): Promise<string[]>;
}
