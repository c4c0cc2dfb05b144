import { AuthenticationError, InputError } from '@backstage/errors';
import { GITHUB_PROJECT_SLUG_ANNOTATION } from '@internal/plugin-product-os-common';
import {
  ChangeEventInput,
  createKeyedRateLimit,
  forEachSlice,
  ProductOsSourceContext,
  readRequestBody,
  SourceNotConfiguredError,
} from '@internal/plugin-product-os-node';
import express from 'express';
import Router from 'express-promise-router';
import { assignToEntities } from './assignToEntities';
import type { GitHubSourceConfig } from './config';
import { readWebhookTask } from './readWebhook';
import { verifyGitHubSignature } from './verifySignature';

/** Changes assigned to entities between two turns of the event loop. */
const CHANGES_PER_SLICE = 256;

export interface RouterOptions {
  config: GitHubSourceConfig;
  context: ProductOsSourceContext;
  now?: () => number;
}

/**
 * `POST /webhook`: GitHub repository (or organization) webhooks. Every delivery is verified
 * against `X-Hub-Signature-256`, stored once per `X-GitHub-Delivery`, and written in one
 * transaction. A large body is parsed and mapped on one of the host's worker threads; assigning
 * and writing a push's commits run in slices with turns of the event loop between.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { config, context } = options;
  const { store, logger } = context;
  const now = options.now ?? Date.now;

  // Counted per repository once the signature has been checked, so that nobody without the
  // secret can spend a repository's allowance.
  const limitRate = createKeyedRateLimit({ limit: config.rateLimitPerMinute });

  if (!config.webhookSecret) {
    logger.warn(
      'GitHub webhooks are refused until productOs.sources.github.webhookSecret is configured',
    );
  }

  const router = Router();
  router.post('/webhook', async (req, res) => {
    const secret = config.webhookSecret;
    if (!secret) {
      throw new SourceNotConfiguredError(
        'GitHub webhooks',
        'productOs.sources.github.webhookSecret',
      );
    }
    const body = await readRequestBody(req, config.bodyLimits);
    if (
      !verifyGitHubSignature(secret, body, req.header('x-hub-signature-256'))
    ) {
      throw new AuthenticationError('Missing or invalid X-Hub-Signature-256');
    }
    const event = req.header('x-github-event');
    if (!event) throw new InputError('Missing X-GitHub-Event header');
    // Parsed and mapped on a worker thread when large (a copy of the body crosses to it).
    const read = await context.workers.run(
      readWebhookTask,
      {
        body: new Uint8Array(body),
        contentType: req.header('content-type'),
        event,
      },
      { bytes: body.length },
    );

    if (read.kind === 'ping') {
      res.status(200).json({ ok: true });
      return;
    }
    if (read.kind === 'not-stored') {
      res
        .status(202)
        .json({ ignored: true, reason: `Event '${event}' is not stored` });
      return;
    }

    const { repository, action, changes } = read;
    await limitRate(req, res, repository.toLowerCase());
    if (changes.length === 0) {
      res.status(202).json({
        ignored: true,
        reason: `Nothing to store for '${
          action ? `${event}.${action}` : event
        }'`,
      });
      return;
    }

    const owners = await store.claim({
      source: 'github',
      annotation: GITHUB_PROJECT_SLUG_ANNOTATION,
      values: [repository],
      unmappedKey: repository,
      at: now(),
    });
    if (owners.length === 0) {
      logger.debug('GitHub delivery for a repository no entity claims', {
        repository,
        event,
      });
      res.status(202).json({ unmapped: true, repository });
      return;
    }

    // In slices: a push's commits times the entities of a monorepo, each matched by its paths.
    const records: ChangeEventInput[] = [];
    await forEachSlice(changes, CHANGES_PER_SLICE, slice => {
      records.push(...assignToEntities(slice, owners));
    });
    if (records.length === 0) {
      res.status(202).json({
        ignored: true,
        reason: `No change touches the paths of the entities of ${repository}`,
      });
      return;
    }

    const deliveryId = req.header('x-github-delivery') || undefined;
    const { duplicate } = await store.ingest(
      { source: 'github', deliveryId },
      writer => writer.upsertChangeEvents(records),
    );
    if (duplicate) {
      res.status(200).json({
        duplicate: true,
        note: `Delivery ${deliveryId} was processed before; nothing was stored again`,
      });
      return;
    }
    logger.debug('Stored GitHub changes', {
      repository,
      event,
      action,
      count: records.length,
    });
    res.status(200).json({ stored: records.length });
  });
  return router;
}
