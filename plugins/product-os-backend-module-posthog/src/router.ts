import {
  createKeyedRateLimit,
  ProductOsSourceContext,
  readRequestBody,
} from '@internal/plugin-product-os-node';
import { createHash } from 'crypto';
import express from 'express';
import Router from 'express-promise-router';
import { normalizeEvents } from './capture/normalizeEvents';
import { parseCaptureRequest } from './capture/parseCaptureRequest';
import type { PostHogSourceConfig } from './config';
import { ingestCapture } from './ingestCapture';

/** The capture paths of PostHog's ingestion API that the SDKs post to. */
const CAPTURE_PATHS = ['/batch', '/capture', '/e', '/i/v0/e', '/track'];

/**
 * The routes the PostHog SDKs call, mounted at `/api/product-os/posthog`. The project API key in
 * the request names the project; PostHog's keys are public, so it is an address, not a secret.
 */
export function createRouter(options: {
  config: PostHogSourceConfig;
  context: ProductOsSourceContext;
}): express.Router {
  const { config, context } = options;
  const router = Router();
  const limitRate = createKeyedRateLimit({ limit: config.rateLimitPerMinute });

  router.post(CAPTURE_PATHS, async (req, res) => {
    const receivedAt = Date.now();
    // posthog-js marks a gzip body with `?compression=gzip-js` instead of Content-Encoding.
    if (
      req.query.compression === 'gzip-js' &&
      !req.headers['content-encoding']
    ) {
      req.headers['content-encoding'] = 'gzip';
    }
    const body = await readRequestBody(req, config.bodyLimits);
    const request = parseCaptureRequest(body, {
      query: req.query,
      contentType: req.header('content-type'),
    });
    await limitRate(req, res, request.apiKey);
    const { events } = normalizeEvents(request.events, {
      sentAt: request.sentAt,
      receivedAt,
    });
    await ingestCapture(
      context,
      { apiKey: request.apiKey, events },
      {
        deliveryId: `capture:${createHash('sha256')
          .update(body)
          .digest('hex')}`,
        receivedAt,
      },
    );
    // PostHog's own answer, which the SDKs expect.
    res.status(200).json({ status: 1 });
  });

  return router;
}
