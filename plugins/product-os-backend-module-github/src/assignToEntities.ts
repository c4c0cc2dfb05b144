import { GITHUB_PATHS_ANNOTATION } from '@internal/plugin-product-os-common';
import type {
  AnnotatedEntity,
  ChangeEventInput,
} from '@internal/plugin-product-os-node';
import type { GitHubChange } from './events';

/**
 * The path prefixes of an entity's `product-os.io/github-paths` annotation, or undefined when it
 * has none or it is empty (the entity then owns the whole repository).
 */
export function pathPrefixesOf(entity: AnnotatedEntity): string[] | undefined {
  const prefixes = (entity.annotations[GITHUB_PATHS_ANNOTATION] ?? '')
    .split(',')
    // GitHub lists files relative to the repository root, without a leading `./` or `/`.
    .map(prefix => prefix.trim().replace(/^\.?\/+/, ''))
    .filter(Boolean);
  return prefixes.length > 0 ? prefixes : undefined;
}

/**
 * Gives each change to the entities of its repository it belongs to. Several entities may share
 * a repository (a monorepo): a commit belongs to an entity when one of its files starts with one
 * of the entity's path prefixes, or when the entity has no paths annotation. A change without a
 * file list (pull request, deployment, release, workflow run) belongs to every entity.
 */
export function assignToEntities(
  changes: GitHubChange[],
  entities: AnnotatedEntity[],
): ChangeEventInput[] {
  const owners = entities.map(entity => ({
    entityRef: entity.entityRef,
    prefixes: pathPrefixesOf(entity),
  }));
  return changes.flatMap(change =>
    owners
      .filter(
        ({ prefixes }) =>
          !prefixes ||
          !change.files ||
          change.files.some(file =>
            prefixes.some(prefix => file.startsWith(prefix)),
          ),
      )
      .map(({ entityRef }) => ({
        ...change,
        entityRef,
        source: 'github' as const,
      })),
  );
}
