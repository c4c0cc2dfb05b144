import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import type {
  AnnotatedEntity,
  EntityResolver,
} from '@internal/plugin-product-os-node';

interface AnnotationIndex {
  entitiesByValue: Map<string, AnnotatedEntity[]>;
}

/** The index of one annotation: the load under way or done, and when it was started. */
interface IndexEntry {
  startedAt: number;
  index: Promise<AnnotationIndex>;
}

/**
 * Maps annotation values to entity refs from a cached copy of the catalog, so that an ingestion
 * endpoint can resolve every delivery without a catalog request. An unknown value reloads the
 * index (at most once every few seconds), so an entity registered a moment ago is found.
 */
export class CatalogEntityResolver implements EntityResolver {
  private readonly entries = new Map<string, IndexEntry>();

  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      logger: LoggerService;
      maxAgeMs: number;
      /** How soon an unknown value may reload the index. Default 5 seconds. */
      missReloadMs?: number;
      now?: () => number;
    },
  ) {}

  async findByAnnotation(annotation: string, value: string): Promise<string[]> {
    const entities = await this.findEntitiesByAnnotation(annotation, value);
    return entities.map(e => e.entityRef);
  }

  async findEntitiesByAnnotation(
    annotation: string,
    value: string,
  ): Promise<AnnotatedEntity[]> {
    const key = normalize(value);
    let entry = this.entries.get(annotation);
    if (!entry || this.now() - entry.startedAt >= this.options.maxAgeMs) {
      entry = this.reload(annotation, entry);
    }
    let index = await entry.index;
    if (!index.entitiesByValue.has(key)) {
      // The entry is read again after the wait: a concurrent miss may have started a reload
      // already, and a burst of deliveries for an unknown key must not become a burst of
      // catalog requests.
      entry = this.entries.get(annotation) ?? entry;
      const missReloadMs = this.options.missReloadMs ?? 5_000;
      if (this.now() - entry.startedAt >= missReloadMs) {
        entry = this.reload(annotation, entry);
      }
      index = await entry.index;
    }
    return index.entitiesByValue.get(key) ?? [];
  }

  private now() {
    return (this.options.now ?? Date.now)();
  }

  /**
   * Starts loading the index and makes it the current entry at once, so that callers arriving
   * during the load wait for it instead of starting their own. When the catalog fails and an
   * older index exists, the older index goes on serving until the next reload is due (some
   * staleness is better than failing every delivery); without one, the failure reaches the
   * caller and the next call tries again.
   */
  private reload(
    annotation: string,
    previous: IndexEntry | undefined,
  ): IndexEntry {
    const startedAt = this.now();
    const entry: IndexEntry = {
      startedAt,
      index: this.load(annotation).catch(async error => {
        const fallback = await previous?.index.catch(() => undefined);
        if (!fallback) {
          if (this.entries.get(annotation) === entry)
            this.entries.delete(annotation);
          throw error;
        }
        this.options.logger.warn(
          'Could not refresh the entity index; using the previous one',
          {
            annotation,
            error: String(error),
          },
        );
        return fallback;
      }),
    };
    this.entries.set(annotation, entry);
    return entry;
  }

  private async load(annotation: string): Promise<AnnotationIndex> {
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const { items } = await this.options.catalog.getEntities(
      {
        filter: {
          [`metadata.annotations.${annotation}`]: CATALOG_FILTER_EXISTS,
        },
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.annotations',
        ],
      },
      { credentials },
    );
    const entitiesByValue = new Map<string, AnnotatedEntity[]>();
    for (const entity of items) {
      const annotations = entity.metadata.annotations ?? {};
      const raw = annotations[annotation];
      if (!raw) continue;
      const found = { entityRef: stringifyEntityRef(entity), annotations };
      // A value may list several keys, e.g. two PagerDuty services behind one component.
      for (const value of new Set(
        raw.split(',').map(normalize).filter(Boolean),
      )) {
        entitiesByValue.set(value, [
          ...(entitiesByValue.get(value) ?? []),
          found,
        ]);
      }
    }
    this.options.logger.debug('Indexed entities by annotation', {
      annotation,
      entities: items.length,
    });
    return { entitiesByValue };
  }
}

function normalize(value: string): string {
  return value.trim().toLowerCase();
}
