import { InputError } from '@backstage/errors';
import { SentryErrorEvent, toErrorEvent } from '../events/toErrorEvent';
import { asObject, asString, JsonObject } from '../events/values';
import { issueFingerprint } from './issueFingerprint';

/** An event that an `event_alert` or `error` webhook carries, and the project it belongs to. */
export interface WebhookEvent {
  /** At least one of the two is set. */
  project: { slug?: string; id?: string };
  event: SentryErrorEvent;
}

/**
 * Reads the event of an `event_alert` (`data.event`) or `error` (`data.error`) webhook. It is
 * grouped under its Sentry issue (`sentry-issue:<issue_id>`), like the `issue` webhooks, and links
 * to the event in Sentry. Its project is named by numeric id (`project`) and, in the event's API
 * URL, by slug (`/projects/<org>/<slug>/events/...`).
 */
export function mapEventWebhook(
  body: JsonObject,
  resource: 'event_alert' | 'error',
  receivedAt: number,
): WebhookEvent {
  const data = asObject(body.data);
  const event = asObject(resource === 'error' ? data?.error : data?.event);
  if (!event) {
    throw new InputError(
      `${resource} webhook lacks data.${
        resource === 'error' ? 'error' : 'event'
      }`,
    );
  }

  const projectId = asString(event.project, 32);
  const slug = /\/projects\/[^/]+\/([^/]+)\/events\//.exec(
    asString(event.url, 2048) ?? '',
  )?.[1];
  if (!projectId && !slug)
    throw new InputError(`${resource} webhook names no project`);
  const issueId = asString(event.issue_id, 64);

  return {
    project: { slug, id: projectId },
    event: toErrorEvent(event, {
      projectId: projectId ?? slug!,
      receivedAt,
      fingerprint: issueId ? issueFingerprint(issueId) : undefined,
      permalink: asString(event.web_url, 1024),
    }),
  };
}
