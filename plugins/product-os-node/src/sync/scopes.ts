import type { AnnotatedEntity } from '../entities';
import type { ProductOsPull } from '../pull';

/**
 * The sync-state key of one scope of one pull: `<pullId>:<scope>`, stored under the source's id,
 * so two pulls of a source over the same project keep their own cursors.
 *
 * @public
 */
export function syncScopeKey(pullId: string, scope: string): string {
  return `${pullId}:${scope}`;
}

/**
 * The entities a pull serves, grouped by the scope each is pulled under, in the order the scopes
 * first appear. Entities without any of the pull's annotations, or whose annotations name no scope
 * the pull can serve, are left out.
 *
 * @public
 */
export function groupByScope(
  pull: Pick<ProductOsPull, 'annotations' | 'scopeOf'>,
  entities: AnnotatedEntity[],
): Map<string, AnnotatedEntity[]> {
  const scopes = new Map<string, AnnotatedEntity[]>();
  for (const entity of entities) {
    if (!pull.annotations.some(a => entity.annotations[a] !== undefined))
      continue;
    const scope = pull.scopeOf(entity);
    if (scope === undefined) continue;
    const members = scopes.get(scope);
    if (members) {
      if (!members.some(m => m.entityRef === entity.entityRef))
        members.push(entity);
    } else scopes.set(scope, [entity]);
  }
  return scopes;
}
