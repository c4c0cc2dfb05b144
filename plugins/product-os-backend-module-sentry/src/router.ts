import type { MetricsServiceCounter } from '@backstage/backend-plugin-api/alpha';
import {
  AuthenticationError,
  InputError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  createRateLimit,
  errorEventsFor,
  hmacSha256Hex,
  ProductOsSourceContext,
  readRequestBody,
  signaturesMatch,
} from '@internal/plugin-product-os-node';
import express, { NextFunction, Request, Response } from 'express';
import Router from 'express-promise-router';
import type { SentryProject, SentrySourceConfig } from './config';
import {
  assertEventSize,
  envelopeEvents,
  readEventIn,
} from './envelope/envelopeEvents';
import { parseEnvelope } from './envelope/parseEnvelope';
import type { SentryErrorEvent } from './events/toErrorEvent';
import { EventBatcher } from './ingest/EventBatcher';
import { ProjectRef, SentryProjects } from './projects';
import { sentryKey } from './sentryKey';
import { applyIssueUpdate } from './webhooks/applyIssueUpdate';
import { readWebhookTask } from './webhooks/readWebhook';

/** Counters the router reports to, e.g. from the Backstage metrics service. */
export interface SentryRouterMetrics {
  /** Envelope items received, by item `type` (event, transaction, session, attachment, ...). */
  envelopeItems: MetricsServiceCounter<{ type: string }>;
  /** Error events, by outcome: `stored`, `duplicate` or `unmapped`. */
  errorEvents: MetricsServiceCounter<{ outcome: string }>;
}

export interface SentryRouterOptions {
  config: SentrySourceConfig;
  context: ProductOsSourceContext;
  metrics: SentryRouterMetrics;
  now?: () => number;
}

/**
 * The routes Sentry calls, mounted at `/api/product-os/sentry`:
 * - `POST /api/:projectId/envelope/`, where an SDK whose DSN is
 *   `http://<key>@<host>/api/product-os/sentry/<projectId>` sends its envelopes;
 * - `POST /api/:projectId/store/`, the legacy single-event endpoint of older SDKs;
 * - `POST /webhook`, for the webhooks of a Sentry internal integration.
 */
export async function createRouter(
  options: SentryRouterOptions,
): Promise<express.Router> {
  const { config, context, metrics } = options;
  const now = options.now ?? Date.now;
  const { store } = context;
  const projects = new SentryProjects(config);
  const batcher = new EventBatcher({
    store,
    onRecorded({ stored, duplicates }) {
      if (stored) metrics.errorEvents.add(stored, { outcome: 'stored' });
      if (duplicates)
        metrics.errorEvents.add(duplicates, { outcome: 'duplicate' });
    },
  });
  const router = Router();

  /** Refs of the entities that claim the project; none: the host counted it as unmapped. */
  async function entitiesOf(project: ProjectRef): Promise<string[]> {
    const claimed = await store.claim(projects.claimOf(project, now()));
    return claimed.map(entity => entity.entityRef);
  }

  const projectRateLimit = createRateLimit({
    limit: config.rateLimitPerMinute,
    keyOf: req => `project:${req.params.projectId}`,
  });
  const webhookRateLimit = createRateLimit({
    limit: config.rateLimitPerMinute,
    keyOf: () => 'webhook',
  });

  /** The DSN's key must be the project's; checked before the body is read. */
  function authenticateProject(
    req: Request,
    res: Response,
    next: NextFunction,
  ) {
    const project = projects.get(req.params.projectId);
    if (!project) {
      throw new AuthenticationError(
        `Unknown Sentry project '${req.params.projectId}'`,
      );
    }
    const key = sentryKey(req);
    if (!key) {
      throw new AuthenticationError(
        'Missing sentry_key (query parameter or X-Sentry-Auth header)',
      );
    }
    if (key !== project.publicKey) {
      throw new AuthenticationError(
        `Invalid sentry_key for project '${project.id}'`,
      );
    }
    res.locals.project = project;
    next();
  }

  async function storeEvents(
    project: SentryProject,
    events: SentryErrorEvent[],
  ) {
    if (events.length === 0) return;
    const entityRefs = await entitiesOf(project);
    if (entityRefs.length === 0) {
      metrics.errorEvents.add(events.length, { outcome: 'unmapped' });
      return;
    }
    // Events of concurrent requests share transactions (see EventBatcher).
    await batcher.record(errorEventsFor(entityRefs, events));
  }

  router.post(
    '/api/:projectId/envelope',
    authenticateProject,
    projectRateLimit,
    async (req, res) => {
      const project: SentryProject = res.locals.project;
      const body = await readRequestBody(req, config.bodyLimits);
      const contents = await envelopeEvents(parseEnvelope(body), {
        projectId: project.id,
        receivedAt: now(),
        maxEventBytes: config.eventBytes,
        workers: context.workers,
      });
      for (const [type, count] of contents.itemCounts)
        metrics.envelopeItems.add(count, { type });
      await storeEvents(project, contents.events);
      answerJson(res, contents.eventId ? { id: contents.eventId } : {});
    },
  );

  router.post(
    '/api/:projectId/store',
    authenticateProject,
    projectRateLimit,
    async (req, res) => {
      const project: SentryProject = res.locals.project;
      const body = await readRequestBody(req, config.bodyLimits);
      assertEventSize(body, config.eventBytes, 'Event');
      // Before envelopes, SDKs sent transactions here too; like other non-error items they are
      // counted and not stored.
      const read = await readEventIn(context.workers, {
        payload: body,
        what: 'Event',
        projectId: project.id,
        receivedAt: now(),
        acceptTransactions: true,
      });
      metrics.envelopeItems.add(1, { type: read.type });
      if (read.type === 'transaction') {
        res.json({ id: read.id });
        return;
      }
      await storeEvents(project, [read.event]);
      answerJson(res, { id: read.event.eventId });
    },
  );

  /** Sentry signs the raw body with the integration's client secret. */
  async function verifyWebhook(
    req: Request,
    res: Response,
    next: NextFunction,
  ) {
    if (!config.webhookSecret) {
      throw new ServiceUnavailableError(
        'Sentry webhooks are not configured: productOs.sources.sentry.webhookSecret is not set',
      );
    }
    const body = await readRequestBody(req, config.webhookBodyLimits);
    const signature = req.header('sentry-hook-signature');
    if (!signature)
      throw new AuthenticationError('Missing Sentry-Hook-Signature header');
    if (
      !signaturesMatch(
        hmacSha256Hex(config.webhookSecret, body),
        signature.trim(),
      )
    ) {
      throw new AuthenticationError('Invalid Sentry-Hook-Signature');
    }
    res.locals.body = body;
    next();
  }

  router.post('/webhook', verifyWebhook, webhookRateLimit, async (req, res) => {
    const resource = req.header('sentry-hook-resource');
    if (!resource) throw new InputError('Missing Sentry-Hook-Resource header');
    const deliveryId = req.header('request-id') || undefined;
    // Not Sentry-Hook-Timestamp: the signature does not cover the headers.
    const at = now();
    const body: Buffer = res.locals.body;
    // Parsed and mapped on a worker thread when large (a copy of the body crosses to it).
    const read = await context.workers.run(
      readWebhookTask,
      { body: new Uint8Array(body), resource, receivedAt: at },
      { bytes: body.length },
    );

    if (read.kind === 'issue') {
      const { update } = read;
      const entityRefs = await entitiesOf(projects.named(update.project)!);
      if (entityRefs.length > 0) {
        await store.ingest({ source: 'sentry', deliveryId }, writer =>
          applyIssueUpdate(writer, entityRefs, update, at),
        );
      }
      const mapped = entityRefs.length > 0;
      res.status(mapped ? 200 : 202).json({ accepted: true, mapped });
      return;
    }

    if (read.kind === 'event') {
      const { project: named, event } = read;
      const project = projects.named(named);
      const entityRefs = project
        ? await entitiesOf(project)
        : await store
            .claim(projects.claimOfUnknownId(named.id, at))
            .then(claimed => claimed.map(entity => entity.entityRef));
      if (entityRefs.length === 0) {
        metrics.errorEvents.add(1, { outcome: 'unmapped' });
        res.status(202).json({ accepted: true, mapped: false });
        return;
      }
      const { result } = await store.ingest(
        { source: 'sentry', deliveryId },
        writer => writer.recordErrorEvents(errorEventsFor(entityRefs, [event])),
      );
      metrics.errorEvents.add(1, {
        outcome: result?.stored ? 'stored' : 'duplicate',
      });
      res.status(200).json({ accepted: true, mapped: true });
      return;
    }

    // installation, comment, metric_alert, ...: nothing Product OS keeps.
    res.status(202).json({ accepted: true, ignored: resource });
  });

  return router;
}

/**
 * Answers 200 with `body` as JSON, as `res.json` would but for its ETag: an SDK never revalidates
 * the answer to its POST, and hashing every answer for one was a visible part of an event's CPU.
 */
function answerJson(res: Response, body: object) {
  const text = JSON.stringify(body);
  res.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
