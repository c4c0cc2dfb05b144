import {
  createKeyedRateLimit,
  ProductOsSourceContext,
  readRequestBody,
} from '@internal/plugin-product-os-node';
import { InputError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import { prepareCaptureTask } from './capture/prepareCapture';
import type { PostHogSourceConfig } from './config';
import { writeCapture } from './ingestCapture';
import {
  noFlagsAnswer,
  remoteConfigFor,
  remoteConfigScript,
} from './sdkConfig/noFlags';

/** The capture paths of PostHog's ingestion API that the SDKs post to. */
const CAPTURE_PATHS = ['/batch', '/capture', '/e', '/i/v0/e', '/track'];
/** Where the SDKs ask for feature flags: `/flags/?v=2` now, `/decide/` before. */
const FLAGS_PATHS = ['/flags', '/decide'];
/** What a project key looks like in a config path (PostHog's are `phc_` + 43 characters). */
const PROJECT_KEY_PATTERN = /^[A-Za-z0-9_-]{1,200}$/;

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
    // Older posthog-js marks a gzip body with `?compression=gzip-js` instead of
    // Content-Encoding; current posthog-js marks it not at all, so gzip is also recognised by
    // its magic bytes, as PostHog's capture does.
    if (
      (req.query.compression === 'gzip-js' ||
        req.query.compression === 'gzip') &&
      !req.headers['content-encoding']
    ) {
      req.headers['content-encoding'] = 'gzip';
    }
    const body = await readRequestBody(req, config.bodyLimits, {
      sniffGzip: true,
    });
    // Parsed and mapped on a worker thread when large (a copy of the body crosses to it).
    const request = await context.workers.run(
      prepareCaptureTask,
      {
        body: new Uint8Array(body),
        query: { ...req.query },
        contentType: req.header('content-type'),
        receivedAt,
      },
      { bytes: body.length },
    );
    await limitRate(req, res, request.apiKey);
    await writeCapture(context, request, {
      deliveryId: request.deliveryId,
      receivedAt,
    });
    // PostHog's own answer, which the SDKs expect.
    res.status(200).json({ status: 1 });
  });

  // Product OS keeps no feature flags: the answer of a PostHog project without any. The body
  // (who is asking) does not change it, so it is not read.
  router.all(FLAGS_PATHS, async (_req, res) => {
    res.status(200).json(noFlagsAnswer());
  });

  router.get('/array/:projectKey/config', async (req, res) => {
    res.status(200).json(remoteConfigFor(projectKeyOf(req.params.projectKey)));
  });
  router.get('/array/:projectKey/config.js', async (req, res) => {
    res
      .status(200)
      .type('application/javascript')
      .send(remoteConfigScript(projectKeyOf(req.params.projectKey)));
  });

  return router;
}

function projectKeyOf(value: string): string {
  if (!PROJECT_KEY_PATTERN.test(value)) {
    throw new InputError('The project API key in the path is not valid');
  }
  return value;
}
