import { workerTask } from '@internal/plugin-product-os-node';
import { parseJsonObject } from '../envelope/parseEnvelope';
import { IssueUpdate, mapIssueWebhook } from './mapIssueWebhook';
import { mapEventWebhook, WebhookEvent } from './mapEventWebhook';

/** A verified webhook's body and what it is read with. */
export interface WebhookBody {
  /** A copy of the body. */
  body: Uint8Array;
  /** `Sentry-Hook-Resource`. */
  resource: string;
  receivedAt: number;
}

/** What a webhook holds for Product OS. */
export type ReadWebhook =
  | { kind: 'issue'; update: IssueUpdate }
  | ({ kind: 'event' } & WebhookEvent)
  | { kind: 'ignored' };

/**
 * Parses a webhook and maps its resource; a large body (up to `webhookBodyBytes`) is read on
 * one of the host's worker threads ({@link readWebhookTask}), and only the mapped issue or event
 * comes back.
 */
export function readWebhook(input: WebhookBody): ReadWebhook {
  const body = parseJsonObject(
    Buffer.from(
      input.body.buffer,
      input.body.byteOffset,
      input.body.byteLength,
    ),
    'Webhook body',
  );
  if (input.resource === 'issue')
    return { kind: 'issue', update: mapIssueWebhook(body) };
  if (input.resource === 'event_alert' || input.resource === 'error')
    return {
      kind: 'event',
      ...mapEventWebhook(body, input.resource, input.receivedAt),
    };
  // installation, comment, metric_alert, ...: nothing Product OS keeps.
  return { kind: 'ignored' };
}

export const readWebhookTask = workerTask(
  __filename,
  'readWebhook',
  readWebhook,
);
