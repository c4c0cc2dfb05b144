import {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult, BasicPermission } from '@backstage/plugin-permission-common';
import {
  productOsAdminPermission,
  productOsReadPermission,
} from '@internal/plugin-product-os-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import type { ProductOsStore } from '../database/ProductOsStore';
import { EntityAccess } from '../entities/EntityAccess';
import { EntityReadService } from '../read/EntityReadService';
import { parseQuery, queries, toRange } from './parameters';

export interface RouterOptions {
  store: ProductOsStore;
  entities: EntityAccess;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  /** The vendor-facing routes of the sources, mounted before the authenticated ones. */
  sourcesRouter?: express.Router;
  now?: () => number;
}

/** Maps the Product OS HTTP API onto the store and services. */
export async function createRouter(options: RouterOptions): Promise<express.Router> {
  const { store, entities, httpAuth, permissions } = options;
  const now = options.now ?? Date.now;
  const reads = new EntityReadService(store);
  const router = Router();

  if (options.sourcesRouter) router.use(options.sourcesRouter);
  router.use(express.json({ limit: '100kb' }));

  async function authorize(
    req: Request,
    permission: BasicPermission,
  ): Promise<BackstageCredentials> {
    const credentials = await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const [decision] = await permissions.authorize([{ permission }], { credentials });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`Not allowed to ${permission.name}`);
    }
    return credentials;
  }

  /** The entity named by the path, if the caller may read it; 404 otherwise. */
  async function readableEntityRef(req: Request): Promise<string> {
    const credentials = await authorize(req, productOsReadPermission);
    const entity = await entities.getReadable(
      {
        kind: req.params.kind,
        namespace: req.params.namespace,
        name: req.params.name,
      },
      credentials,
    );
    return stringifyEntityRef(entity);
  }

  const entityPath = '/entities/:kind/:namespace/:name';

  router.get(`${entityPath}/overview`, async (req, res) => {
    const query = parseQuery(queries.window, req.query);
    const entityRef = await readableEntityRef(req);
    res.json(await reads.overview(entityRef, toRange(query, now())));
  });

  router.get(`${entityPath}/errors`, async (req, res) => {
    const query = parseQuery(queries.window, req.query);
    const entityRef = await readableEntityRef(req);
    const range = toRange(query, now());
    res.json({
      items: await store.getErrorGroups(entityRef, { ...range, limit: query.limit ?? 50 }),
    });
  });

  router.get(`${entityPath}/errors/trend`, async (req, res) => {
    const query = parseQuery(queries.window, req.query);
    const entityRef = await readableEntityRef(req);
    const range = toRange(query, now());
    const [points, deploys] = await Promise.all([
      store.getErrorSeries(entityRef, range),
      store.getChangeEvents(entityRef, { ...range, kinds: ['deployment'] }),
    ]);
    res.json({
      window: { from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString() },
      bucket: range.bucket,
      points,
      deploys,
    });
  });

  router.get(`${entityPath}/changes`, async (req, res) => {
    const query = parseQuery(queries.changes, req.query);
    const entityRef = await readableEntityRef(req);
    const range = toRange(query, now());
    res.json({
      items: await store.getChangeEvents(entityRef, {
        ...range,
        kinds: query.kind,
        limit: query.limit ?? 100,
      }),
    });
  });

  router.get(`${entityPath}/incidents`, async (req, res) => {
    const query = parseQuery(queries.window, req.query);
    const entityRef = await readableEntityRef(req);
    res.json({ items: await store.getIncidents(entityRef, toRange(query, now())) });
  });

  router.get(`${entityPath}/metrics`, async (req, res) => {
    const query = parseQuery(queries.window, req.query);
    const entityRef = await readableEntityRef(req);
    res.json({ items: await store.getMetricSeries(entityRef, toRange(query, now())) });
  });

  router.get(`${entityPath}/diagnoses`, async (req, res) => {
    const query = parseQuery(queries.diagnoses, req.query);
    const entityRef = await readableEntityRef(req);
    res.json({
      items: await store.listDiagnoses({
        entityRefs: [entityRef],
        statuses: query.status,
        actionability: query.actionability,
        limit: query.limit,
      }),
    });
  });

  router.get(`${entityPath}/timeline`, async (req, res) => {
    const query = parseQuery(queries.window, req.query);
    const entityRef = await readableEntityRef(req);
    res.json({ items: await reads.timeline(entityRef, toRange(query, now())) });
  });

  router.get('/admin/unmapped', async (req, res) => {
    await authorize(req, productOsAdminPermission);
    res.json({ items: await store.listUnmapped() });
  });

  router.get('/admin/audit', async (req, res) => {
    await authorize(req, productOsAdminPermission);
    const { limit } = parseQuery(queries.window, req.query);
    res.json({ items: await store.listAudit(limit ?? 100) });
  });

  return router;
}
