import {
  createKeyedRateLimit,
  ProductOsSourceContext,
  readRequestBody,
  SourceNotConfiguredError,
} from '@internal/plugin-product-os-node';
import { createHash } from 'crypto';
import express, { Request, Response } from 'express';
import Router from 'express-promise-router';
import type { PagerDutySourceConfig } from './config';
import { ingestAlertEvent, ingestChangeEvent } from './events/ingestEvents';
import {
  parseAlertEvent,
  parseChangeEvent,
  routingKeyOf,
} from './events/parseEvents';
import { ingestIncidentWebhook } from './webhooks/ingestIncidentWebhook';
import { parseWebhookEvent } from './webhooks/parseWebhookEvent';
import { verifyWebhookSignature } from './webhooks/verifySignature';

/**
 * The routes PagerDuty (and anything that speaks its Events API) calls, mounted at
 * `/api/product-os/pagerduty`:
 *
 * - `POST /webhook`: V3 webhooks, verified by `X-PagerDuty-Signature`.
 * - `POST /v2/enqueue`: Events API v2 alert events, keyed by `routing_key`.
 * - `POST /v2/change/enqueue`: Events API v2 change events.
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
    const event = parseWebhookEvent(body);
    const status = await ingestIncidentWebhook(context, event);
    res.status(202).json({ status });
  });

  /**
   * Reads an Events API request up to a valid event: the body, its JSON, the routing key's rate,
   * the event's fields. Undefined when it has answered the sender's error (PagerDuty's 400).
   */
  async function readEvent<E>(
    req: Request,
    res: Response,
    parse: (json: unknown) => { event: E } | { errors: string[] },
  ): Promise<{ event: E; eventKey: string; receivedAt: number } | undefined> {
    const receivedAt = Date.now();
    const body = await readRequestBody(req, config.bodyLimits);
    const json = parseEventJson(body, res);
    if (json === undefined) return undefined;
    const routingKey = routingKeyOf(json);
    if (routingKey) await limitRate(req, res, `routing-key:${routingKey}`);
    const parsed = parse(json);
    if ('errors' in parsed) {
      invalidEvent(res, parsed.errors);
      return undefined;
    }
    return { event: parsed.event, eventKey: bodyHash(body), receivedAt };
  }

  router.post('/v2/enqueue', async (req, res) => {
    const read = await readEvent(req, res, parseAlertEvent);
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
    const read = await readEvent(req, res, parseChangeEvent);
    if (!read) return;
    const { event: change, ...received } = read;
    await ingestChangeEvent(context, change, received);
    res
      .status(202)
      .json({ status: 'success', message: 'Change event processed' });
  });

  return router;
}

/** The Events API answers a body that is not JSON like any other invalid event. */
function parseEventJson(body: Buffer, res: Response): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    invalidEvent(res, [
      `Request body is not valid JSON: ${(error as Error).message}`,
    ]);
    return undefined;
  }
}

/** PagerDuty's own answer to an invalid event, which its clients know how to read. */
function invalidEvent(res: Response, errors: string[]) {
  res.status(400).json({
    status: 'invalid event',
    message: 'Event object is invalid',
    errors,
  });
}

function bodyHash(body: Buffer): string {
  return createHash('sha256').update(body).digest('hex').slice(0, 40);
}
