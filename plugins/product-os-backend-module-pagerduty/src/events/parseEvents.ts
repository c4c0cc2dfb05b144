import { isObject, parseTime } from '../parseJson';

/*
 * Validation of Events API v2 requests
 * (https://developer.pagerduty.com/docs/events-api-v2/trigger-events/), collecting every problem
 * so the 400 answer lists them the way PagerDuty's does.
 */

export type AlertAction = 'trigger' | 'acknowledge' | 'resolve';

/** An alert event: opens, acknowledges or resolves the incident of its dedup key. */
export interface AlertEvent {
  routingKey: string;
  action: AlertAction;
  dedupKey?: string;
  /** For `trigger`: what is wrong, where, and how badly. */
  summary?: string;
  source?: string;
  severity?: string;
  /** When the sender detected it (epoch ms). */
  timestamp?: number;
  /** The sending tool, e.g. `Sample Monitoring Service`. */
  client?: string;
  /** Where to look: `client_url`, else the first link. */
  url?: string;
}

/** A change event: a deploy, a config change, a merged pull request. */
export interface ChangeEventV2 {
  routingKey: string;
  summary: string;
  source?: string;
  timestamp?: number;
  customDetails: Record<string, unknown>;
  links: { href: string; text?: string }[];
}

export type Parsed<T> = { event: T } | { errors: string[] };

const ACTIONS: AlertAction[] = ['trigger', 'acknowledge', 'resolve'];
const SEVERITIES = ['critical', 'error', 'warning', 'info'];
const MAX_ROUTING_KEY_LENGTH = 128;
const MAX_DEDUP_KEY_LENGTH = 255;
const MAX_SUMMARY_LENGTH = 1024;

/** The routing key of a request body, if it has a usable one (to rate-limit before validating). */
export function routingKeyOf(json: unknown): string | undefined {
  if (!isObject(json)) return undefined;
  const key = json.routing_key;
  return typeof key === 'string' &&
    key.trim() &&
    key.length <= MAX_ROUTING_KEY_LENGTH
    ? key.trim()
    : undefined;
}

export function parseAlertEvent(json: unknown): Parsed<AlertEvent> {
  if (!isObject(json))
    return { errors: ['Event object must be a JSON object'] };
  const errors: string[] = [];
  const routingKey = checkRoutingKey(json, errors);

  const action = json.event_action as AlertAction;
  if (!ACTIONS.includes(action)) {
    errors.push(`'event_action' must be one of ${ACTIONS.join(', ')}`);
  }

  let dedupKey: string | undefined;
  if (
    json.dedup_key !== undefined &&
    json.dedup_key !== null &&
    json.dedup_key !== ''
  ) {
    if (typeof json.dedup_key !== 'string') {
      errors.push("'dedup_key' must be a string");
    } else if (json.dedup_key.length > MAX_DEDUP_KEY_LENGTH) {
      errors.push(
        `'dedup_key' is longer than ${MAX_DEDUP_KEY_LENGTH} characters`,
      );
    } else {
      dedupKey = json.dedup_key;
    }
  } else if (action === 'acknowledge' || action === 'resolve') {
    errors.push(`'dedup_key' is required for event_action '${action}'`);
  }

  const event: AlertEvent = { routingKey, action, dedupKey };
  if (typeof json.client === 'string' && json.client)
    event.client = json.client;
  event.url = firstUrl(json.client_url, json.links);

  if (action === 'trigger') {
    const payload = json.payload;
    if (!isObject(payload)) {
      errors.push("'payload' is required for event_action 'trigger'");
    } else {
      event.summary = checkSummary(payload, errors);
      if (typeof payload.source !== 'string' || payload.source.trim() === '') {
        errors.push("'payload.source' is missing or blank");
      } else {
        event.source = payload.source;
      }
      if (!SEVERITIES.includes(payload.severity as string)) {
        errors.push(
          `'payload.severity' must be one of ${SEVERITIES.join(', ')}`,
        );
      } else {
        event.severity = payload.severity as string;
      }
      event.timestamp = checkTimestamp(payload, errors);
    }
  }
  return errors.length > 0 ? { errors } : { event };
}

export function parseChangeEvent(json: unknown): Parsed<ChangeEventV2> {
  if (!isObject(json))
    return { errors: ['Event object must be a JSON object'] };
  const errors: string[] = [];
  const routingKey = checkRoutingKey(json, errors);
  const payload = json.payload;
  let summary = '';
  let timestamp: number | undefined;
  let source: string | undefined;
  let customDetails: Record<string, unknown> = {};
  if (!isObject(payload)) {
    errors.push("'payload' is missing");
  } else {
    summary = checkSummary(payload, errors) ?? '';
    timestamp = checkTimestamp(payload, errors);
    if (typeof payload.source === 'string' && payload.source)
      source = payload.source;
    if (isObject(payload.custom_details))
      customDetails = payload.custom_details;
  }
  if (json.links !== undefined && !Array.isArray(json.links)) {
    errors.push("'links' must be an array");
  }
  const links = (Array.isArray(json.links) ? json.links : [])
    .filter(isObject)
    .filter(link => typeof link.href === 'string' && link.href)
    .map(link => ({
      href: link.href as string,
      text: typeof link.text === 'string' ? link.text : undefined,
    }));
  if (errors.length > 0) return { errors };
  return {
    event: { routingKey, summary, source, timestamp, customDetails, links },
  };
}

function checkRoutingKey(
  json: Record<string, unknown>,
  errors: string[],
): string {
  const key = json.routing_key;
  if (typeof key !== 'string' || key.trim() === '') {
    errors.push("'routing_key' is missing or blank");
    return '';
  }
  if (key.length > MAX_ROUTING_KEY_LENGTH) {
    errors.push(
      `'routing_key' is longer than ${MAX_ROUTING_KEY_LENGTH} characters`,
    );
  }
  return key.trim();
}

function checkSummary(
  payload: Record<string, unknown>,
  errors: string[],
): string | undefined {
  const summary = payload.summary;
  if (typeof summary !== 'string' || summary.trim() === '') {
    errors.push("'payload.summary' is missing or blank");
    return undefined;
  }
  if (summary.length > MAX_SUMMARY_LENGTH) {
    errors.push(
      `'payload.summary' is longer than ${MAX_SUMMARY_LENGTH} characters`,
    );
  }
  return summary;
}

function checkTimestamp(
  payload: Record<string, unknown>,
  errors: string[],
): number | undefined {
  if (payload.timestamp === undefined || payload.timestamp === null)
    return undefined;
  const ms = parseTime(payload.timestamp);
  if (ms === undefined)
    errors.push("'payload.timestamp' is not an ISO 8601 time");
  return ms;
}

function firstUrl(clientUrl: unknown, links: unknown): string | undefined {
  if (typeof clientUrl === 'string' && clientUrl) return clientUrl;
  if (!Array.isArray(links)) return undefined;
  const link = links.find(
    l => isObject(l) && typeof l.href === 'string' && l.href,
  );
  return link ? (link.href as string) : undefined;
}
