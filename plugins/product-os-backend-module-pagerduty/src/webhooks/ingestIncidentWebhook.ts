import { PAGERDUTY_SERVICE_ID_ANNOTATION } from '@internal/plugin-product-os-common';
import type { ProductOsSourceContext } from '@internal/plugin-product-os-node';
import { mapIncidentWebhook } from './mapIncidentWebhook';
import {
  recordIncidentEvent,
  recordIncidentNote,
} from './recordIncidentWebhook';
import type { WebhookEvent } from './types';

/** What became of a webhook: the answer's `status`, for the sender's delivery log. */
export type WebhookOutcome =
  | 'stored'
  | 'duplicate'
  | 'unmapped'
  | 'unknown_incident'
  | 'ignored';

/**
 * Stores one verified V3 webhook event for every entity of its service, in one transaction keyed
 * by the event id (a redelivery is stored once), and tells the agent about triggered incidents.
 */
export async function ingestIncidentWebhook(
  context: ProductOsSourceContext,
  event: WebhookEvent,
): Promise<WebhookOutcome> {
  const change = mapIncidentWebhook(event);
  const ingest = {
    source: 'pagerduty' as const,
    deliveryId: `webhook:${event.id}`,
  };

  if (change.kind === 'ignored') {
    context.logger.debug('Ignored PagerDuty webhook', {
      reason: change.reason,
    });
    return 'ignored';
  }

  if (change.kind === 'note') {
    const { duplicate, result } = await context.store.ingest(ingest, writer =>
      recordIncidentNote(writer, change),
    );
    if (duplicate) return 'duplicate';
    return result ? 'stored' : 'unknown_incident';
  }

  const entityRefs = await context.entities.findByAnnotation(
    PAGERDUTY_SERVICE_ID_ANNOTATION,
    change.serviceId,
  );
  if (entityRefs.length === 0) {
    await context.store.recordUnmapped(
      'pagerduty',
      `service:${change.serviceId}`,
      Date.now(),
    );
    return 'unmapped';
  }

  const opened: string[] = [];
  const { duplicate } = await context.store.ingest(ingest, async writer => {
    for (const entityRef of entityRefs) {
      if (await recordIncidentEvent(writer, entityRef, change))
        opened.push(entityRef);
    }
  });
  if (duplicate) return 'duplicate';
  for (const entityRef of opened)
    context.notifier.notify(entityRef, 'incident_triggered');
  return 'stored';
}
