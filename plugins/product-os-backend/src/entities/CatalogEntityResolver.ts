import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import type { EntityResolver } from '@internal/plugin-product-os-node';

interface AnnotationIndex {
  loadedAt: number;
  refsByValue: Map<string, string[]>;
}

/**
 * Maps annotation values to entity refs from a cached copy of the catalog, so that an ingestion
 * endpoint can resolve every delivery without a catalog request. An unknown value reloads the
 * index (at most once every few seconds), so an entity registered a moment ago is found.
 */
export class CatalogEntityResolver implements EntityResolver {
  private readonly indexes = new Map<string, Promise<AnnotationIndex>>();

  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      logger: LoggerService;
      maxAgeMs: number;
      /** How soon an unknown value may reload the index. */
      missReloadMs?: number;
      now?: () => number;
    },
  ) {}

  async findByAnnotation(annotation: string, value: string): Promise<string[]> {
    const key = normalize(value);
    let index = await this.index(annotation);
    const missReloadMs = this.options.missReloadMs ?? 5_000;
    if (!index.refsByValue.has(key) && this.now() - index.loadedAt > missReloadMs) {
      index = await this.index(annotation, true);
    }
    return index.refsByValue.get(key) ?? [];
  }

  private now() {
    return (this.options.now ?? Date.now)();
  }

  private async index(annotation: string, force = false): Promise<AnnotationIndex> {
    const cached = this.indexes.get(annotation);
    if (cached && !force) {
      const index = await cached.catch(() => undefined);
      if (index && this.now() - index.loadedAt < this.options.maxAgeMs) return index;
    }
    const loading = this.load(annotation);
    this.indexes.set(annotation, loading);
    try {
      return await loading;
    } catch (error) {
      this.indexes.delete(annotation);
      throw error;
    }
  }

  private async load(annotation: string): Promise<AnnotationIndex> {
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const { items } = await this.options.catalog.getEntities(
      {
        filter: { [`metadata.annotations.${annotation}`]: CATALOG_FILTER_EXISTS },
        fields: ['kind', 'metadata.name', 'metadata.namespace', 'metadata.annotations'],
      },
      { credentials },
    );
    const refsByValue = new Map<string, string[]>();
    for (const entity of items) {
      const raw = entity.metadata.annotations?.[annotation];
      if (!raw) continue;
      const ref = stringifyEntityRef(entity);
      // A value may list several keys, e.g. two PagerDuty services behind one component.
      for (const value of raw.split(',').map(normalize).filter(Boolean)) {
        refsByValue.set(value, [...(refsByValue.get(value) ?? []), ref]);
      }
    }
    this.options.logger.debug('Indexed entities by annotation', {
      annotation,
      entities: items.length,
    });
    return { loadedAt: this.now(), refsByValue };
  }
}

function normalize(value: string): string {
  return value.trim().toLowerCase();
}
