import {
  POSTHOG_PROJECT_ID_ANNOTATION,
  POSTHOG_PROJECT_KEY_ANNOTATION,
} from '@internal/plugin-product-os-common';
import type { AnnotatedEntity } from '@internal/plugin-product-os-node';

/**
 * The PostHog project an entity is pulled from: its `posthog.com/project-id`, PostHog's numeric
 * project id. Anything else names no project (PostHog's URLs take the number).
 */
export function projectIdOf(entity: AnnotatedEntity): string | undefined {
  const id = entity.annotations[POSTHOG_PROJECT_ID_ANNOTATION]?.trim();
  return id && /^\d{1,18}$/.test(id) ? id : undefined;
}

/**
 * The project API key distinct ids of a pulled project are hashed with, so a user counted from a
 * pushed event and from a pulled one is one user: the project key the scope's entities name
 * (`product-os.io/posthog-project-key`), when they name exactly one. Otherwise the project id
 * stands in for it.
 */
export function userKeySaltOf(
  projectId: string,
  entities: AnnotatedEntity[],
): string {
  const keys = new Set(
    entities.flatMap(entity =>
      (entity.annotations[POSTHOG_PROJECT_KEY_ANNOTATION] ?? '')
        .split(',')
        .map(key => key.trim())
        .filter(Boolean),
    ),
  );
  return keys.size === 1 ? [...keys][0] : `posthog-project:${projectId}`;
}
