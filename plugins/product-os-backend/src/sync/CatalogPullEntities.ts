import { AuthService } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import type { AnnotatedEntity } from '@internal/plugin-product-os-node';

/** The catalog entities a pull serves. */
export interface PullEntities {
  /** Every entity with any of `annotations`, with all its annotations. */
  withAnyAnnotation(annotations: string[]): Promise<AnnotatedEntity[]>;
}

/**
 * {@link PullEntities} from the catalog, as the plugin's own service, kept for `maxAgeMs` per set
 * of annotations like the entity resolver's index: a pull runs every few minutes, and "sync now"
 * needs the other entities of a scope without a catalog request each time.
 */
export class CatalogPullEntities implements PullEntities {
  private readonly cache = new Map<
    string,
    { loadedAt: number; entities: Promise<AnnotatedEntity[]> }
  >();

  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      maxAgeMs: number;
      now?: () => number;
    },
  ) {}

  withAnyAnnotation(annotations: string[]): Promise<AnnotatedEntity[]> {
    const key = [...new Set(annotations)].sort().join('\u0000');
    const now = (this.options.now ?? Date.now)();
    const cached = this.cache.get(key);
    if (cached && now - cached.loadedAt < this.options.maxAgeMs)
      return cached.entities;
    const entities = this.load(annotations);
    this.cache.set(key, { loadedAt: now, entities });
    // A failed load is not kept: the next call asks the catalog again.
    entities.catch(() => {
      if (this.cache.get(key)?.entities === entities) this.cache.delete(key);
    });
    return entities;
  }

  private async load(annotations: string[]): Promise<AnnotatedEntity[]> {
    if (annotations.length === 0) return [];
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const { items } = await this.options.catalog.getEntities(
      {
        // The catalog ORs the filters of a list.
        filter: annotations.map(annotation => ({
          [`metadata.annotations.${annotation}`]: CATALOG_FILTER_EXISTS,
        })),
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.annotations',
        ],
      },
      { credentials },
    );
    return items.map(entity => ({
      entityRef: stringifyEntityRef(entity),
      annotations: entity.metadata.annotations ?? {},
    }));
  }
}
