import { PAGERDUTY_SERVICE_ID_ANNOTATION } from '@internal/plugin-product-os-common';
import type { ProductOsSourceContext } from '@internal/plugin-product-os-node';
import {
  recordIncidentEvent,
  recordIncidentNote,
} from './recordIncidentWebhook';
import type { IncidentWebhookDelivery } from '../readDelivery';

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
  { eventId, change }: IncidentWebhookDelivery,
): Promise<WebhookOutcome> {
  const ingest = {
    source: 'pagerduty' as const,
    deliveryId: `webhook:${eventId}`,
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

  const claimed = await context.store.claim({
    source: 'pagerduty',
    annotation: PAGERDUTY_SERVICE_ID_ANNOTATION,
    values: [change.serviceId],
    unmappedKey: `service:${change.serviceId}`,
    at: Date.now(),
  });
  if (claimed.length === 0) return 'unmapped';

  const { duplicate } = await context.store.ingest(ingest, async writer => {
    for (const { entityRef } of claimed) {
      // The host wakes the agent once the transaction commits.
      if (await recordIncidentEvent(writer, entityRef, change))
        writer.signal(entityRef, 'incident_triggered');
    }
  });
  return duplicate ? 'duplicate' : 'stored';
}
