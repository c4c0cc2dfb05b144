import { Entity } from '@backstage/catalog-model';
import {
  GITHUB_PROJECT_SLUG_ANNOTATION,
  PAGERDUTY_INTEGRATION_KEY_ANNOTATION,
  PAGERDUTY_SERVICE_ID_ANNOTATION,
  POSTHOG_PROJECT_ID_ANNOTATION,
  POSTHOG_PROJECT_KEY_ANNOTATION,
  PRODUCT_OS_ANNOTATIONS,
  SENTRY_PROJECT_SLUG_ANNOTATION,
} from '@internal/plugin-product-os-common';

/** The annotations each card needs; any one of a list is enough. */
export const CARD_ANNOTATIONS = {
  errors: [SENTRY_PROJECT_SLUG_ANNOTATION],
  incidents: [
    PAGERDUTY_SERVICE_ID_ANNOTATION,
    PAGERDUTY_INTEGRATION_KEY_ANNOTATION,
  ],
  changes: [GITHUB_PROJECT_SLUG_ANNOTATION],
  analytics: [POSTHOG_PROJECT_KEY_ANNOTATION, POSTHOG_PROJECT_ID_ANNOTATION],
  any: [...PRODUCT_OS_ANNOTATIONS],
} as const;

/** True when the entity carries at least one of `names`. */
export function hasAnyAnnotation(
  entity: Entity,
  names: readonly string[],
): boolean {
  const annotations = entity.metadata.annotations ?? {};
  return names.some(name => Boolean(annotations[name]));
}

/** True when the entity is linked to a Sentry project. @public */
export const isSentryAvailable = (entity: Entity) =>
  hasAnyAnnotation(entity, CARD_ANNOTATIONS.errors);

/** True when the entity is linked to a PagerDuty service. @public */
export const isPagerDutyAvailable = (entity: Entity) =>
  hasAnyAnnotation(entity, CARD_ANNOTATIONS.incidents);

/** True when the entity is linked to a GitHub repository. @public */
export const isGithubAvailable = (entity: Entity) =>
  hasAnyAnnotation(entity, CARD_ANNOTATIONS.changes);

/** True when the entity is linked to a PostHog project. @public */
export const isPostHogAvailable = (entity: Entity) =>
  hasAnyAnnotation(entity, CARD_ANNOTATIONS.analytics);

/** True when the entity carries any annotation Product OS reads. @public */
export const isProductOsAvailable = (entity: Entity) =>
  hasAnyAnnotation(entity, CARD_ANNOTATIONS.any);
