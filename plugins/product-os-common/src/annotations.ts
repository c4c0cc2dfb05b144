/**
 * Annotations that link a catalog entity to the sources Product OS reads.
 *
 * The first four are the ones the Backstage ecosystem already uses (the community Sentry,
 * GitHub and PagerDuty plugins), so an entity that is set up for those plugins is set up for
 * Product OS too. Only PostHog had no established annotation, so Product OS defines its own.
 */

/** Sentry project slug, optionally `organization/project`. @public */
export const SENTRY_PROJECT_SLUG_ANNOTATION = 'sentry.io/project-slug';

/** GitHub repository, `owner/name`. @public */
export const GITHUB_PROJECT_SLUG_ANNOTATION = 'github.com/project-slug';

/**
 * Narrows a shared repository (a monorepo) to the paths that belong to this entity: a
 * comma-separated list of path prefixes, e.g. `services/checkout/,libs/payments/`.
 * @public
 */
export const GITHUB_PATHS_ANNOTATION = 'product-os.io/github-paths';

/** PagerDuty service id, e.g. `PABC123`. @public */
export const PAGERDUTY_SERVICE_ID_ANNOTATION = 'pagerduty.com/service-id';

/** PagerDuty Events API v2 integration (routing) key. @public */
export const PAGERDUTY_INTEGRATION_KEY_ANNOTATION =
  'pagerduty.com/integration-key';

/** PostHog project API key (the public `phc_...` key) whose events belong to this entity. @public */
export const POSTHOG_PROJECT_KEY_ANNOTATION =
  'product-os.io/posthog-project-key';

/**
 * Comma-separated PostHog event names that are this entity's key metrics, e.g.
 * `checkout_completed,signup`. Drops in these are what the diagnosis agent watches.
 * @public
 */
export const POSTHOG_KEY_METRICS_ANNOTATION = 'product-os.io/key-metrics';

/**
 * The key metrics an entity's annotations name, in order, each once: the comma-separated
 * {@link POSTHOG_KEY_METRICS_ANNOTATION}, trimmed. @public
 */
export function keyMetricsOf(
  annotations: Record<string, string> = {},
): string[] {
  const names = (annotations[POSTHOG_KEY_METRICS_ANNOTATION] ?? '')
    .split(',')
    .map(metric => metric.trim())
    .filter(Boolean);
  return [...new Set(names)];
}

/**
 * The PostHog project (its numeric id, e.g. `12345`, shown in the project's settings) whose data
 * is pulled for this entity from PostHog's query API. The project API key
 * ({@link POSTHOG_PROJECT_KEY_ANNOTATION}) names where pushed events belong; it is not the id.
 * @public
 */
export const POSTHOG_PROJECT_ID_ANNOTATION = 'posthog.com/project-id';

/** Every annotation Product OS reads. @public */
export const PRODUCT_OS_ANNOTATIONS = [
  SENTRY_PROJECT_SLUG_ANNOTATION,
  GITHUB_PROJECT_SLUG_ANNOTATION,
  PAGERDUTY_SERVICE_ID_ANNOTATION,
  PAGERDUTY_INTEGRATION_KEY_ANNOTATION,
  POSTHOG_PROJECT_KEY_ANNOTATION,
  POSTHOG_PROJECT_ID_ANNOTATION,
] as const;
