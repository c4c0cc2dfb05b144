import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import {
  Entity,
  parseEntityRef,
  RELATION_OWNED_BY,
  RELATION_PARENT_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { PRODUCT_OS_ANNOTATIONS } from '@internal/plugin-product-os-common';

/** An entity named in a request path. */
export interface EntityName {
  kind: string;
  namespace: string;
  name: string;
}

/** Narrows the entities Product OS tracks. */
export interface TrackedEntityFilter {
  /** Catalog kinds, e.g. `['component', 'system']`; every kind when absent. */
  kinds?: string[];
  /**
   * An owner entity ref (`group:default/payments`, or `payments` for a group in the default
   * namespace). A group matches what it owns and what every group below it owns.
   */
  owner?: string;
  /** A system entity ref or name: the system itself and its parts. */
  system?: string;
  lifecycle?: string;
}

/** A catalog entity Product OS tracks, with its refs resolved. */
export interface TrackedEntity {
  entity: Entity;
  entityRef: string;
  ownerRef?: string;
  systemRef?: string;
}

const TRACKED_ENTITY_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'metadata.annotations',
  'spec.owner',
  'spec.system',
  'spec.lifecycle',
  'relations',
];

/**
 * Resolves the entities a request names, as the caller: the catalog answers with the caller's
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

  /** The entities the caller may see, among those given. */
  async filterReadable(
    refs: string[],
    credentials: BackstageCredentials,
  ): Promise<Entity[]> {
    if (refs.length === 0) return [];
    const { items } = await this.catalog.getEntitiesByRefs(
      { entityRefs: refs },
      { credentials },
    );
    return items.filter(
      (entity): entity is Entity => entity !== null && entity !== undefined,
    );
  }

  /**
   * The refs among `refs` of entities the caller may see, in one catalog request: an entity
   * hidden from the caller is as absent as one that does not exist.
   */
  async visibleRefs(
    refs: string[],
    credentials: BackstageCredentials,
  ): Promise<string[]> {
    if (refs.length === 0) return [];
    const { items } = await this.catalog.getEntitiesByRefs(
      {
        entityRefs: refs,
        fields: ['kind', 'metadata.name', 'metadata.namespace'],
      },
      { credentials },
    );
    return items.flatMap(entity =>
      entity ? [stringifyEntityRef(entity)] : [],
    );
  }

  /**
   * The entities the caller may see that carry at least one Product OS annotation, narrowed by
   * `filter`. Only those can have Product OS data.
   */
  async listTracked(
    filter: TrackedEntityFilter,
    credentials: BackstageCredentials,
  ): Promise<TrackedEntity[]> {
    const owner = filter.owner
      ? parseRef(filter.owner, 'owner', 'group')
      : undefined;
    const system = filter.system
      ? parseRef(filter.system, 'system', 'system')
      : undefined;
    // One filter per kind and annotation: the catalog ORs the filters of a list, and ANDs the
    // keys inside one.
    const filters = (filter.kinds ?? [undefined]).flatMap(kind =>
      PRODUCT_OS_ANNOTATIONS.map(annotation => ({
        ...(kind && { kind }),
        [`metadata.annotations.${annotation}`]: CATALOG_FILTER_EXISTS,
        ...(filter.lifecycle && { 'spec.lifecycle': filter.lifecycle }),
      })),
    );
    const [{ items }, owners] = await Promise.all([
      this.catalog.getEntities(
        { filter: filters, fields: TRACKED_ENTITY_FIELDS },
        { credentials },
      ),
      owner ? this.ownersBelow(owner, credentials) : undefined,
    ]);
    const tracked = items.map(entity => ({
      entity,
      entityRef: stringifyEntityRef(entity),
      ownerRef: ownerOf(entity),
      systemRef: systemOf(entity),
    }));
    return tracked.filter(
      t =>
        (!owners || (t.ownerRef !== undefined && owners.has(t.ownerRef))) &&
        (!system || t.systemRef === system || t.entityRef === system),
    );
  }

  /** A group and every group below it (transitively) that the caller may see. */
  async groupsBelow(
    group: string,
    credentials: BackstageCredentials,
  ): Promise<Set<string>> {
    return this.ownersBelow(parseRef(group, 'group', 'group'), credentials);
  }

  /** The systems the caller may see whose `spec.domain` is the domain. */
  async systemsOfDomain(
    domain: string,
    credentials: BackstageCredentials,
  ): Promise<Set<string>> {
    const domainRef = parseRef(domain, 'domain', 'domain');
    const domains = await this.systemDomains(credentials);
    return new Set(
      [...domains].filter(([, d]) => d === domainRef).map(([system]) => system),
    );
  }

  /** The domain of every system the caller may see that names one, in one catalog request. */
  async systemDomains(
    credentials: BackstageCredentials,
  ): Promise<Map<string, string>> {
    const { items } = await this.catalog.getEntities(
      {
        filter: { kind: 'system' },
        fields: ['kind', 'metadata.name', 'metadata.namespace', 'spec.domain'],
      },
      { credentials },
    );
    const domains = new Map<string, string>();
    for (const system of items) {
      const domain = specRef(system, 'domain', 'domain');
      if (domain) domains.set(stringifyEntityRef(system), domain);
    }
    return domains;
  }

  /**
   * The owner and, when it is a group, every group below it, found by walking `spec.children`
   * and `parentOf` relations down from it among the groups the caller may see.
   */
  private async ownersBelow(
    owner: string,
    credentials: BackstageCredentials,
  ): Promise<Set<string>> {
    if (!owner.startsWith('group:')) return new Set([owner]);
    return below(owner, await this.groupChildren(credentials));
  }

  /**
   * Every group the caller may see with all the groups below it (itself included), from one
   * catalog request: for roll-ups of every team at once.
   */
  async groupTree(
    credentials: BackstageCredentials,
  ): Promise<Map<string, Set<string>>> {
    const children = await this.groupChildren(credentials);
    return new Map(
      [...children.keys()].map(group => [group, below(group, children)]),
    );
  }

  /** Each group's direct children, from `spec.children` and `parentOf` relations. */
  private async groupChildren(
    credentials: BackstageCredentials,
  ): Promise<Map<string, string[]>> {
    const { items: groups } = await this.catalog.getEntities(
      {
        filter: { kind: 'group' },
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'spec.children',
          'relations',
        ],
      },
      { credentials },
    );
    const children = new Map<string, string[]>();
    for (const group of groups) {
      const ref = stringifyEntityRef(group);
      const namespace = group.metadata.namespace ?? 'default';
      const direct = [
        ...((group.spec?.children as string[] | undefined) ?? []).map(child =>
          stringifyEntityRef(
            parseEntityRef(child, {
              defaultKind: 'group',
              defaultNamespace: namespace,
            }),
          ),
        ),
        ...(group.relations ?? [])
          .filter(r => r.type === RELATION_PARENT_OF)
          .map(r => r.targetRef.toLowerCase()),
      ];
      children.set(ref, direct);
    }
    return children;
  }
}

/** A group and every group below it, walking the children map breadth first (cycles stop). */
function below(group: string, children: Map<string, string[]>): Set<string> {
  const result = new Set([group]);
  const queue = [group];
  while (queue.length) {
    for (const child of children.get(queue.shift()!) ?? []) {
      if (!result.has(child)) {
        result.add(child);
        queue.push(child);
      }
    }
  }
  return result;
}

function parseRef(
  value: string,
  parameter: string,
  defaultKind: string,
): string {
  try {
    return stringifyEntityRef(
      parseEntityRef(value, { defaultKind, defaultNamespace: 'default' }),
    );
  } catch (error) {
    throw new InputError(
      `Invalid query parameter '${parameter}': ${(error as Error).message}`,
    );
  }
}

/** The ref in `spec.<field>`, with the kind and namespace a short ref leaves out filled in. */
function specRef(
  entity: Entity,
  field: string,
  defaultKind: string,
): string | undefined {
  const raw = entity.spec?.[field];
  if (typeof raw !== 'string' || raw === '') return undefined;
  try {
    return stringifyEntityRef(
      parseEntityRef(raw, {
        defaultKind,
        defaultNamespace: entity.metadata.namespace ?? 'default',
      }),
    );
  } catch {
    return undefined;
  }
}

/** The owner as the catalog resolved it (the `ownedBy` relation), else as `spec.owner` says. */
function ownerOf(entity: Entity): string | undefined {
  const relation = entity.relations?.find(r => r.type === RELATION_OWNED_BY);
  return relation
    ? relation.targetRef.toLowerCase()
    : specRef(entity, 'owner', 'group');
}

function systemOf(entity: Entity): string | undefined {
  return specRef(entity, 'system', 'system');
}
