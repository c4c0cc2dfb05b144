import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity, parseEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { productOsReadPermission } from '@internal/plugin-product-os-common';
import type { EntityAccess } from '../entities/EntityAccess';

/**
 * The checks every agent tool makes before it reads, as the caller the MCP client acts for: the
 * read permission, then the catalog with the caller's credentials, so an entity they may not see
 * is as absent as one that does not exist (the same two checks as the HTTP API's routes).
 */
export class ToolAccess {
  constructor(
    private readonly permissions: PermissionsService,
    private readonly entities: Pick<EntityAccess, 'getReadable'>,
  ) {}

  async authorize(credentials: BackstageCredentials): Promise<void> {
    const [decision] = await this.permissions.authorize(
      [{ permission: productOsReadPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Not allowed to ${productOsReadPermission.name}`,
      );
    }
  }

  /** The entity `ref` names (kind `defaultKind` and namespace `default` when left out). */
  async readableEntity(
    ref: string,
    credentials: BackstageCredentials,
    defaultKind = 'component',
  ): Promise<Entity> {
    await this.authorize(credentials);
    let name;
    try {
      name = parseEntityRef(ref, {
        defaultKind,
        defaultNamespace: 'default',
      });
    } catch (error) {
      throw new InputError(
        `Invalid entityRef '${ref}': ${(error as Error).message}`,
      );
    }
    return this.entities.getReadable(name, credentials);
  }
}
