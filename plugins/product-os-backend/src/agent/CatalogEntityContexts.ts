import { AuthService } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  RELATION_DEPENDS_ON,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { keyMetricsOf } from '@internal/plugin-product-os-common';
import type { EntityContext, EntityContextProvider } from './types';

/**
 * The agent's view of catalog entities (owner, one hop of `dependsOn`, key metrics), read with
 * the plugin's own service credentials and cached briefly, since one run asks for an entity and
 * its dependencies and the schedule asks again within minutes.
 */
export class CatalogEntityContexts implements EntityContextProvider {
  private readonly cache = new Map<
    string,
    { at: number; context: Promise<EntityContext> }
  >();

  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      maxAgeMs?: number;
      now?: () => number;
    },
  ) {}

  get(entityRef: string): Promise<EntityContext> {
    const now = (this.options.now ?? Date.now)();
    const cached = this.cache.get(entityRef);
    if (cached && now - cached.at < (this.options.maxAgeMs ?? 60_000))
      return cached.context;
    const context = this.load(entityRef);
    this.cache.set(entityRef, { at: now, context });
    context.catch(() => this.cache.delete(entityRef));
    return context;
  }

  private async load(entityRef: string): Promise<EntityContext> {
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const entity = await this.options.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    return toEntityContext(entityRef, entity);
  }
}

/**
 * What the agent needs of an entity. Relations are what the catalog computed; an entity that
 * has none yet (not processed) falls back to its `spec.owner` and `spec.dependsOn`. An entity
 * missing from the catalog is still watched, without owner or dependencies.
 */
export function toEntityContext(
  entityRef: string,
  entity?: Entity,
): EntityContext {
  const name = parseEntityRef(entityRef).name;
  if (!entity) return { entityRef, name, dependsOn: [], keyMetrics: [] };
  const relations = entity.relations ?? [];
  const spec = (entity.spec ?? {}) as { owner?: string; dependsOn?: string[] };
  let owner = relations.find(r => r.type === RELATION_OWNED_BY)?.targetRef;
  if (!owner && spec.owner) owner = normalizeRef(spec.owner, 'group', entity);
  let dependsOn = relations
    .filter(r => r.type === RELATION_DEPENDS_ON)
    .map(r => r.targetRef);
  if (dependsOn.length === 0 && Array.isArray(spec.dependsOn)) {
    dependsOn = spec.dependsOn.map(ref =>
      normalizeRef(ref, 'component', entity),
    );
  }
  const keyMetrics = keyMetricsOf(entity.metadata.annotations);
  return {
    entityRef,
    name: entity.metadata.title ?? entity.metadata.name,
    owner,
    dependsOn: [...new Set(dependsOn)].filter(ref => ref !== entityRef),
    keyMetrics,
  };
}

function normalizeRef(
  ref: string,
  defaultKind: string,
  entity: Entity,
): string {
  return stringifyEntityRef(
    parseEntityRef(ref, {
      defaultKind,
      defaultNamespace: entity.metadata.namespace ?? 'default',
    }),
  );
}
