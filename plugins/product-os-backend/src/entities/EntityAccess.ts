import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';

/** An entity named in a request path. */
export interface EntityName {
  kind: string;
  namespace: string;
  name: string;
}

/**
 * Resolves the entity a request names, as the caller: the catalog answers with the caller's
 * credentials, so an entity they may not see is as absent as one that does not exist.
 */
export class EntityAccess {
  constructor(private readonly catalog: CatalogService) {}

  async getReadable(
    name: EntityName,
    credentials: BackstageCredentials,
  ): Promise<Entity> {
    const ref = stringifyEntityRef(name);
    const entity = await this.catalog.getEntityByRef(ref, { credentials });
    if (!entity) throw new NotFoundError(`No entity ${ref}`);
    return entity;
  }

  /** The refs of the entities the caller may see, among those given. */
  async filterReadable(
    refs: string[],
    credentials: BackstageCredentials,
  ): Promise<Entity[]> {
    if (refs.length === 0) return [];
    const { items } = await this.catalog.getEntitiesByRefs(
      { entityRefs: refs },
      { credentials },
    );
    return items.filter((entity): entity is Entity => entity !== null && entity !== undefined);
  }
}
