import { workerTask } from '@internal/plugin-product-os-node';
import { eventMappers, PayloadObject } from './events';
import type { GitHubChange } from './events/GitHubChange';
import { parseWebhookBody } from './parseWebhookBody';

/** A verified delivery's body and what it is read with. */
export interface WebhookDelivery {
  /** A copy of the body (a push may be 2 MiB of JSON). */
  body: Uint8Array;
  contentType?: string;
  /** `X-GitHub-Event`. */
  event: string;
}

/** What a delivery holds for Product OS. */
export type ReadWebhook =
  | { kind: 'ping' }
  | { kind: 'not-stored' }
  | {
      kind: 'changes';
      repository: string;
      action?: string;
      changes: GitHubChange[];
    };

/**
 * Parses a delivery and maps its event to changes: the steps that hold the event loop longest
 * (a `JSON.parse` of up to 2 MiB, then a push's 2,048 commits), so a large body is read on one
 * of the host's worker threads ({@link readWebhookTask}). A body that is not a JSON object, or
 * an event without what its mapper needs, throws the same 400 on either.
 */
export async function readWebhook(
  delivery: WebhookDelivery,
): Promise<ReadWebhook> {
  const body = Buffer.from(
    delivery.body.buffer,
    delivery.body.byteOffset,
    delivery.body.byteLength,
  );
  const payload = PayloadObject.of(
    parseWebhookBody(body, delivery.contentType),
  );
  if (delivery.event === 'ping') return { kind: 'ping' };
  const mapEvent = eventMappers.get(delivery.event);
  if (!mapEvent) return { kind: 'not-stored' };
  const repository = payload.object('repository').string('full_name');
  return {
    kind: 'changes',
    repository,
    action: payload.optionalString('action'),
    changes: await mapEvent(payload),
  };
}

export const readWebhookTask = workerTask(
  __filename,
  'readWebhook',
  readWebhook,
);
