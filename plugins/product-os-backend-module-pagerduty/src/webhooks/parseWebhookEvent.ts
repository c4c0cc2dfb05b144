import { InputError } from '@backstage/errors';
import { isObject, parseJsonBody, parseTime } from '../parseJson';
import type { WebhookEvent } from './types';

/**
 * Reads the single event of a V3 webhook body (`{ "event": { ... } }`), checking the fields every
 * event has. The `data` of each event type is checked where it is mapped.
 */
export function parseWebhookEvent(body: Buffer): WebhookEvent {
  const json = parseJsonBody(body);
  const event = isObject(json) ? json.event : undefined;
  if (!isObject(event)) {
    throw new InputError(
      'Not a PagerDuty V3 webhook: the body has no "event" object',
    );
  }
  const problems: string[] = [];
  if (typeof event.id !== 'string' || event.id === '')
    problems.push('event.id is missing');
  if (typeof event.event_type !== 'string' || event.event_type === '') {
    problems.push('event.event_type is missing');
  }
  if (parseTime(event.occurred_at) === undefined) {
    problems.push('event.occurred_at is not an ISO 8601 time');
  }
  if (!isObject(event.data)) problems.push('event.data is not an object');
  if (problems.length > 0) {
    throw new InputError(`Invalid PagerDuty webhook: ${problems.join('; ')}`);
  }
  return event as unknown as WebhookEvent;
}
