import { POSTHOG_PROJECT_KEY_ANNOTATION } from '@internal/plugin-product-os-common';
import type { ProductOsSourceContext } from '@internal/plugin-product-os-node';
import type { CapturedEvent } from './capture/normalizeEvents';
import { userKeyOf } from './capture/userKey';
import { mapException } from './exceptions/mapException';
import { toMetricPoints } from './metrics/toMetricPoints';

/** What became of a capture request. */
export interface CaptureOutcome {
  mapped: boolean;
  duplicate: boolean;
}

/**
 * Stores a capture request for every entity that claims its project key, in one transaction
 * keyed by the request (a retried request is stored once): hourly metric points per event name,
 * and `$exception` events as error events. Tells the agent about new error groups.
 */
export async function ingestCapture(
  context: ProductOsSourceContext,
  request: { apiKey: string; events: CapturedEvent[] },
  options: { deliveryId: string; receivedAt: number },
): Promise<CaptureOutcome> {
  const { apiKey, events } = request;
  const entityRefs = await context.entities.findByAnnotation(
    POSTHOG_PROJECT_KEY_ANNOTATION,
    apiKey,
  );
  if (entityRefs.length === 0) {
    await context.store.recordUnmapped(
      'posthog',
      `project-key:${apiKey}`,
      options.receivedAt,
    );
    return { mapped: false, duplicate: false };
  }

  const userKey = (event: CapturedEvent) =>
    event.distinctId && !event.personless
      ? userKeyOf(apiKey, event.distinctId)
      : undefined;
  const exceptions = events
    .filter(event => event.name === '$exception')
    .map(event => mapException(event, userKey(event)));

  const withNewErrorGroups = new Set<string>();
  const { duplicate } = await context.store.ingest(
    { source: 'posthog', deliveryId: options.deliveryId },
    async writer => {
      for (const entityRef of entityRefs) {
        const points = toMetricPoints(events, entityRef, userKey);
        if (points.length > 0) await writer.recordMetricPoints(points);
        if (exceptions.length === 0) continue;
        const { newGroups } = await writer.recordErrorEvents(
          exceptions.map(exception => ({
            ...exception,
            entityRef,
            // Event ids are unique per source across entities, and each entity keeps its own copy.
            eventId:
              entityRefs.length > 1
                ? `${entityRef}/${exception.eventId}`
                : exception.eventId,
          })),
        );
        if (newGroups?.length) withNewErrorGroups.add(entityRef);
      }
    },
  );
  if (!duplicate) {
    for (const entityRef of withNewErrorGroups) {
      context.notifier.notify(entityRef, 'new_error_group');
    }
  }
  return { mapped: true, duplicate };
}
