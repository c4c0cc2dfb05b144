import type { EntityTopic } from '@internal/plugin-product-os-common';

/** A catalog entity found by one of its annotations, with all its annotations. @public */
export interface AnnotatedEntity {
  entityRef: string;
  annotations: Record<string, string>;
}

/** Finds the catalog entities that claim a source's project, repository or service. @public */
export interface EntityResolver {
  /**
   * Refs of the entities whose annotation equals `value`. Lookups are served from a cache that
   * follows the catalog, so a source may call this for every delivery.
   */
  findByAnnotation(annotation: string, value: string): Promise<string[]>;
  /**
   * The same entities as {@link EntityResolver.findByAnnotation}, with their annotations, for a
   * source that narrows further by another annotation (e.g. the paths of a monorepo).
   */
  findEntitiesByAnnotation(
    annotation: string,
    value: string,
  ): Promise<AnnotatedEntity[]>;
}

/** Why the diagnosis agent should look at an entity now instead of at its next scheduled run. @public */
export type IngestSignalReason =
  | 'incident_triggered'
  | 'error_rise'
  | 'new_error_group'
  /** Metric data of an hour later than any before it: the hours before are complete, and a drop in them can be judged. */
  | 'metric_hour_closed';

/** Tells the diagnosis agent that something worth an immediate look arrived. @public */
export interface IngestNotifier {
  notify(entityRef: string, reason: IngestSignalReason): void;
}

/**
 * Told, once a write has committed, which entities' data it changed and what part of it, so
 * their pages can load again while people look at them. @public
 */
export interface EntityChangeListener {
  entitiesChanged(changes: ReadonlyMap<string, ReadonlySet<EntityTopic>>): void;
}
