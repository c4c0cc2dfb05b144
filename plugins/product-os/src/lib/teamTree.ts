import {
  Entity,
  parseEntityRef,
  RELATION_CHILD_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';

/** A group with where it sits: the groups above it, nearest first. */
export interface TeamNode {
  ref: string;
  title?: string;
  /** Refs of the groups above, parent first. */
  ancestors: string[];
}

/**
 * The groups of the catalog with their ancestors, found through `spec.parent` and the
 * `childOf` relations the catalog derives from it and from a parent's `spec.children`. A cycle
 * (which the catalog does not forbid) ends the walk instead of looping.
 */
export function teamTree(groups: Entity[]): Map<string, TeamNode> {
  const parents = new Map<string, string>();
  const titles = new Map<string, string | undefined>();
  for (const group of groups) {
    const ref = stringifyEntityRef(group);
    titles.set(ref, group.metadata.title);
    const relation = group.relations?.find(r => r.type === RELATION_CHILD_OF);
    const parent =
      relation?.targetRef.toLocaleLowerCase('en-US') ?? parentFromSpec(group);
    if (parent) parents.set(ref, parent);
  }
  const tree = new Map<string, TeamNode>();
  for (const [ref, title] of titles) {
    const ancestors: string[] = [];
    for (
      let up = parents.get(ref);
      up && up !== ref && !ancestors.includes(up);
      up = parents.get(up)
    ) {
      ancestors.push(up);
    }
    tree.set(ref, { ref, title, ancestors });
  }
  return tree;
}

function parentFromSpec(group: Entity): string | undefined {
  const parent = group.spec?.parent;
  if (typeof parent !== 'string' || !parent) return undefined;
  return stringifyEntityRef(
    parseEntityRef(parent, {
      defaultKind: 'group',
      defaultNamespace: group.metadata.namespace ?? 'default',
    }),
  );
}

/**
 * Rows sorted into the teams they count for: each row to its owner and every group above it,
 * so a department's section holds all its teams' services.
 */
export function rowsByTeam<T extends { owner?: string }>(
  rows: readonly T[],
  tree: Map<string, TeamNode>,
): Map<string, T[]> {
  const byTeam = new Map<string, T[]>();
  for (const row of rows) {
    if (!row.owner) continue;
    const teams = [row.owner, ...(tree.get(row.owner)?.ancestors ?? [])];
    for (const team of teams) {
      const list = byTeam.get(team) ?? [];
      list.push(row);
      byTeam.set(team, list);
    }
  }
  return byTeam;
}
