import {
  createKeyedRateLimit,
  ProductOsSourceContext,
  readRequestBody,
  SourceNotConfiguredError,
} from '@internal/plugin-product-os-node';
import type { WorkerTask } from '@internal/plugin-product-os-node';
import express, { Request, Response } from 'express';
import Router from 'express-promise-router';
import type { PagerDutySourceConfig } from './config';
import { ingestAlertEvent, ingestChangeEvent } from './events/ingestEvents';
import {
  EventsApiRequest,
  readAlertEventTask,
  readChangeEventTask,
  readIncidentWebhookTask,
} from './readDelivery';
import { ingestIncidentWebhook } from './webhooks/ingestIncidentWebhook';
import { verifyWebhookSignature } from './webhooks/verifySignature';

/**
 * The routes PagerDuty (and anything that speaks its Events API) calls, mounted at
 * `/api/product-os/pagerduty`:
 *
 * - `POST /webhook`: V3 webhooks, verified by `X-PagerDuty-Signature`.
 * - `POST /v2/enqueue`: Events API v2 alert events, keyed by `routing_key`.
 * - `POST /v2/change/enqueue`: Events API v2 change events.
 *
 * A large body is parsed and mapped on one of the host's worker threads.
 */
export function createRouter(options: {
  config: PagerDutySourceConfig;
  context: ProductOsSourceContext;
}): express.Router {
  const { config, context } = options;
  const router = Router();
  const limitRate = createKeyedRateLimit({
    limit: config.rateLimitPerMinute,
  });

  router.post('/webhook', async (req, res) => {
    if (config.webhookSecrets.length === 0) {
      throw new SourceNotConfiguredError(
        'PagerDuty webhooks',
        'productOs.sources.pagerduty.webhookSecrets',
      );
    }
    const body = await readRequestBody(req, config.bodyLimits);
    verifyWebhookSignature(
      req.header('x-pagerduty-signature'),
      body,
      config.webhookSecrets,
    );
    await limitRate(
      req,
      res,
      `webhook:${req.header('x-webhook-subscription') ?? ''}`,
    );
    const delivery = await context.workers.run(
      readIncidentWebhookTask,
      new Uint8Array(body),
      { bytes: body.length },
    );
    const status = await ingestIncidentWebhook(context, delivery);
    res.status(202).json({ status });
  });

  /**
   * Reads an Events API request up to a valid event: the body, its JSON, the routing key's rate,
   * the event's fields. Undefined when it has answered the sender's error (PagerDuty's 400).
   */
  async function readEvent<E>(
    req: Request,
    res: Response,
    task: WorkerTask<Uint8Array, EventsApiRequest<E>>,
  ): Promise<{ event: E; eventKey: string; receivedAt: number } | undefined> {
    const receivedAt = Date.now();
    const body = await readRequestBody(req, config.bodyLimits);
    const read = await context.workers.run(task, new Uint8Array(body), {
      bytes: body.length,
    });
    if (read.kind === 'not-json') {
      invalidEvent(res, read.errors);
      return undefined;
    }
    if (read.routingKey)
      await limitRate(req, res, `routing-key:${read.routingKey}`);
    if ('errors' in read.parsed) {
      invalidEvent(res, read.parsed.errors);
      return undefined;
    }
    return { event: read.parsed.event, eventKey: read.eventKey, receivedAt };
  }

  router.post('/v2/enqueue', async (req, res) => {
    const read = await readEvent(req, res, readAlertEventTask);
    if (!read) return;
    const { event: alert, ...received } = read;
    const { dedupKey } = await ingestAlertEvent(context, alert, received);
    res.status(202).json({
      status: 'success',
      message: 'Event processed',
      dedup_key: dedupKey,
    });
  });

  router.post('/v2/change/enqueue', async (req, res) => {
    const read = await readEvent(req, res, readChangeEventTask);
    if (!read) return;
    const { event: change, ...received } = read;
    await ingestChangeEvent(context, change, received);
    res
      .status(202)
      .json({ status: 'success', message: 'Change event processed' });
  });

  return router;
}

/** PagerDuty's own answer to an invalid event, which its clients know how to read. */
function invalidEvent(res: Response, errors: string[]) {
  res.status(400).json({
    status: 'invalid event',
    message: 'Event object is invalid',
    errors,
  });
}
