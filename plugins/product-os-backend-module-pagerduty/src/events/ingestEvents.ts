import { PAGERDUTY_INTEGRATION_KEY_ANNOTATION } from '@internal/plugin-product-os-common';
import type { ProductOsSourceContext } from '@internal/plugin-product-os-node';
import { randomUUID } from 'crypto';
import { mapChangeEvent } from './mapChangeEvent';
import type { AlertEvent, ChangeEventV2 } from './parseEvents';
import { recordAlertEvent } from './recordAlertEvent';

/**
 * Stores an alert event for every entity of its routing key in one transaction, and returns the
 * dedup key the sender uses for follow-up events (generated, like PagerDuty does, when the
 * trigger has none).
 */
export async function ingestAlertEvent(
  context: ProductOsSourceContext,
  event: AlertEvent,
  options: { eventKey: string; receivedAt: number },
): Promise<{ dedupKey: string; mapped: boolean }> {
  const dedupKey = event.dedupKey ?? randomUUID().replace(/-/g, '');
  const entityRefs = await entitiesOf(
    context,
    event.routingKey,
    options.receivedAt,
  );
  if (entityRefs.length === 0) return { dedupKey, mapped: false };

  await context.store.ingest({ source: 'pagerduty' }, async writer => {
    for (const entityRef of entityRefs) {
      const outcome = await recordAlertEvent(writer, {
        entityRef,
        event,
        dedupKey,
        eventKey: options.eventKey,
        receivedAt: options.receivedAt,
      });
      // The host wakes the agent once the transaction commits.
      if (outcome === 'opened') writer.signal(entityRef, 'incident_triggered');
    }
  });
  return { dedupKey, mapped: true };
}

/**
 * Stores a change event for every entity of its routing key. Its id is derived from the request
 * body, so the same event sent twice is stored once.
 */
export async function ingestChangeEvent(
  context: ProductOsSourceContext,
  event: ChangeEventV2,
  options: { eventKey: string; receivedAt: number },
): Promise<{ mapped: boolean }> {
  const entityRefs = await entitiesOf(
    context,
    event.routingKey,
    options.receivedAt,
  );
  if (entityRefs.length === 0) return { mapped: false };
  await context.store.ingest({ source: 'pagerduty' }, writer =>
    writer.upsertChangeEvents(
      entityRefs.map(entityRef =>
        mapChangeEvent(event, {
          entityRef,
          externalId: `change:${options.eventKey}`,
          receivedAt: options.receivedAt,
        }),
      ),
    ),
  );
  return { mapped: true };
}

async function entitiesOf(
  context: ProductOsSourceContext,
  routingKey: string,
  receivedAt: number,
): Promise<string[]> {
  const claimed = await context.store.claim({
    source: 'pagerduty',
    annotation: PAGERDUTY_INTEGRATION_KEY_ANNOTATION,
    values: [routingKey],
    unmappedKey: `routing-key:${routingKey}`,
    at: receivedAt,
  });
  return claimed.map(entity => entity.entityRef);
}
