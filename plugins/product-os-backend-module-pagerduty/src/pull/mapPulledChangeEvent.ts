import type { ChangeEventInput } from '@internal/plugin-product-os-node';
import { mapChangeEvent } from '../events/mapChangeEvent';
import { isObject, parseTime } from '../parseJson';
import type { RestChangeEvent } from './restTypes';

/**
 * Maps a change event of the REST API as the Events API endpoint maps the change events sent to
 * it (title, first link, commit sha and environment from `custom_details`), under PagerDuty's
 * id: `change:<id>`. A change sent to PagerDuty is not also sent here, so its id does not need
 * to meet the one the Events API endpoint derives from a request body.
 */
export function mapPulledChangeEvent(
  event: RestChangeEvent,
  options: { entityRef: string; pulledAt: number },
): ChangeEventInput | undefined {
  if (!event.id || !event.summary) return undefined;
  return mapChangeEvent(
    {
      routingKey: '',
      summary: event.summary,
      source: event.source,
      timestamp: parseTime(event.timestamp),
      customDetails: isObject(event.custom_details) ? event.custom_details : {},
      links: (event.links ?? []).flatMap(link =>
        typeof link.href === 'string' && link.href
          ? [{ href: link.href, text: link.text }]
          : [],
      ),
    },
    {
      entityRef: options.entityRef,
      externalId: `change:${event.id}`,
      receivedAt: options.pulledAt,
    },
  );
}
