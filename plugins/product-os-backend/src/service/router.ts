import {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
} from '@backstage/plugin-permission-common';
import {
  DiagnosisActionId,
  productOsAdminPermission,
  productOsDiagnosisActPermission,
  productOsDiagnosisUpdatePermission,
  ProductOsFrontendConfig,
  productOsReadPermission,
} from '@internal/plugin-product-os-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import {
  DIAGNOSIS_ACTIONS,
  DiagnosisActions,
} from '../actions/DiagnosisActions';
import type { ProductOsStore } from '../database/ProductOsStore';
import type { DiagnosisService } from '../agent/DiagnosisService';
import { EntityAccess } from '../entities/EntityAccess';
import { DiagnosisInbox } from '../read/DiagnosisInbox';
import { EntityReadService } from '../read/EntityReadService';
import { HealthService } from '../read/HealthService';
import { DiagnosisRedaction } from '../read/redactDiagnoses';
import {
  parseBody,
  parseId,
  parseQuery,
  queries,
  statusChangeBody,
  toRange,
} from './parameters';

export interface RouterOptions {
  store: ProductOsStore;
  entities: EntityAccess;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  /** Writes diagnoses to GitHub on a confirmed preview; without it actions are off. */
  actions?: DiagnosisActions;
  /** Reading single diagnoses, their lifecycle and re-research; without it those routes are absent. */
  diagnoses?: DiagnosisService;
  /** The vendor-facing routes of the sources, mounted before the authenticated ones. */
  sourcesRouter?: express.Router;
  now?: () => number;
}

/** Maps the Product OS HTTP API onto the store and services. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { store, entities, httpAuth, permissions } = options;
  const now = options.now ?? Date.now;
  // Every diagnosis the API returns passes this, as the caller.
  const redaction = new DiagnosisRedaction(store, entities);
  const reads = new EntityReadService(store, redaction);
  const health = new HealthService(store, entities);
  const inbox = new DiagnosisInbox(store, entities, redaction);
  const router = Router();

  if (options.sourcesRouter) router.use(options.sourcesRouter);
  router.use(express.json({ limit: '100kb' }));

  async function authorize(
    req: Request,
    permission: BasicPermission,
  ): Promise<BackstageCredentials> {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const [decision] = await permissions.authorize([{ permission }], {
      credentials,
    });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`Not allowed to ${permission.name}`);
    }
    return credentials;
  }

  /** The entity named by the path, if the caller may read it; 404 otherwise. */
  async function readableEntityRef(req: Request): Promise<string> {
    return (await readableEntity(req)).entityRef;
  }

  /** The entity named by the path and the caller's credentials; 404 if they may not read it. */
  async function readableEntity(
    req: Request,
  ): Promise<{ entityRef: string; credentials: BackstageCredentials }> {
    const credentials = await authorize(req, productOsReadPermission);
    const entity = await entities.getReadable(
      {
        kind: req.params.kind,
        namespace: req.params.namespace,
        name: req.params.name,
      },
      credentials,
    );
    return { entityRef: stringifyEntityRef(entity), credentials };
  }

  const entityPath = '/entities/:kind/:namespace/:name';

  router.get(`${entityPath}/overview`, async (req, res) => {
    const query = parseQuery(queries.window, req.query);
    const { entityRef, credentials } = await readableEntity(req);
    res.json(
      await reads.overview(entityRef, toRange(query, now()), credentials),
    );
  });

  router.get(`${entityPath}/errors`, async (req, res) => {
    const query = parseQuery(queries.window, req.query);
    const entityRef = await readableEntityRef(req);
    const range = toRange(query, now());
    res.json({
      items: await store.getErrorGroups(entityRef, {
        ...range,
        limit: query.limit ?? 50,
      }),
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
      window: {
        from: new Date(range.from).toISOString(),
        to: new Date(range.to).toISOString(),
      },
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
    res.json({
      items: await store.getIncidents(entityRef, toRange(query, now())),
    });
  });

  router.get(`${entityPath}/metrics`, async (req, res) => {
    const query = parseQuery(queries.window, req.query);
    const entityRef = await readableEntityRef(req);
    res.json({
      items: await store.getMetricSeries(entityRef, toRange(query, now())),
    });
  });

  router.get(`${entityPath}/diagnoses`, async (req, res) => {
    const query = parseQuery(queries.diagnoses, req.query);
    const { entityRef, credentials } = await readableEntity(req);
    const items = await store.listDiagnoses({
      entityRefs: [entityRef],
      statuses: query.status,
      actionability: query.actionability,
      limit: query.limit,
    });
    res.json({ items: await redaction.redact(items, credentials) });
  });

  router.get(`${entityPath}/timeline`, async (req, res) => {
    const query = parseQuery(queries.window, req.query);
    const { entityRef, credentials } = await readableEntity(req);
    res.json({
      items: await reads.timeline(
        entityRef,
        toRange(query, now()),
        credentials,
      ),
    });
  });

  // The leaders' page: tracked components and systems the caller may see, worst first.
  router.get('/health', async (req, res) => {
    const query = parseQuery(queries.health, req.query);
    const credentials = await authorize(req, productOsReadPermission);
    const { owner, system, lifecycle } = query;
    res.json({
      items: await health.list(
        { owner, system, lifecycle },
        toRange(query, now()),
        credentials,
      ),
    });
  });

  // The portal-wide inbox, e.g. `?actionability=needs_human&status=open`.
  router.get('/diagnoses', async (req, res) => {
    const query = parseQuery(queries.diagnoses, req.query);
    const credentials = await authorize(req, productOsReadPermission);
    res.json({
      items: await inbox.list(
        {
          statuses: query.status,
          actionability: query.actionability,
          owner: query.owner,
          limit: query.limit,
        },
        credentials,
      ),
    });
  });

  router.get('/config', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const config: ProductOsFrontendConfig = {
      actionsEnabled: options.actions?.enabled ?? false,
    };
    res.json(config);
  });

  const { actions } = options;
  if (actions) {
    const actionPath = '/diagnoses/:id/actions/:action';
    const parseActionPath = (req: Request) => {
      const diagnosisId = Number(req.params.id);
      if (!Number.isSafeInteger(diagnosisId) || diagnosisId <= 0) {
        throw new InputError(`id: ${req.params.id} is not a diagnosis id`);
      }
      const action = req.params.action as DiagnosisActionId;
      if (!DIAGNOSIS_ACTIONS.includes(action)) {
        throw new InputError(
          `action: expected one of ${DIAGNOSIS_ACTIONS.join(', ')}`,
        );
      }
      return { diagnosisId, action };
    };

    router.post(`${actionPath}/preview`, async (req, res) => {
      const { diagnosisId, action } = parseActionPath(req);
      const credentials = await authorize(req, productOsReadPermission);
      const [act] = await permissions.authorize(
        [{ permission: productOsDiagnosisActPermission }],
        { credentials },
      );
      res.json(
        await actions.preview({
          diagnosisId,
          action,
          credentials,
          canAct: act.result === AuthorizeResult.ALLOW,
        }),
      );
    });

    // Only a person can confirm, so only user credentials may run an action.
    router.post(`${actionPath}/run`, async (req, res) => {
      const { diagnosisId, action } = parseActionPath(req);
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      const [act] = await permissions.authorize(
        [{ permission: productOsDiagnosisActPermission }],
        { credentials },
      );
      if (act.result !== AuthorizeResult.ALLOW) {
        throw new NotAllowedError(
          `Not allowed to ${productOsDiagnosisActPermission.name}: running an action needs this permission`,
        );
      }
      if (!actions.enabled) {
        throw new NotAllowedError(
          'Actions are disabled: productOs.actions.enabled must be true to write to GitHub',
        );
      }
      const body = (req.body ?? {}) as {
        confirm?: unknown;
        previewToken?: unknown;
      };
      if (body.confirm !== true) {
        throw new InputError(
          'confirm: must be true, after the user confirmed the preview',
        );
      }
      if (
        typeof body.previewToken !== 'string' ||
        !/^[0-9a-f]{64}$/.test(body.previewToken)
      ) {
        throw new InputError(
          'previewToken: send the previewToken of the preview the user confirmed',
        );
      }
      res.status(201).json(
        await actions.run({
          diagnosisId,
          action,
          previewToken: body.previewToken,
          credentials,
        }),
      );
    });
  }

  const { diagnoses } = options;
  if (diagnoses) {
    router.get('/diagnoses/:id', async (req, res) => {
      const id = parseId(req.params.id, 'a diagnosis');
      const credentials = await authorize(req, productOsReadPermission);
      res.json(await diagnoses.get(id, credentials));
    });

    router.post('/diagnoses/:id/status', async (req, res) => {
      const id = parseId(req.params.id, 'a diagnosis');
      const change = parseBody(statusChangeBody, req.body);
      await authorize(req, productOsReadPermission);
      const credentials = await authorize(
        req,
        productOsDiagnosisUpdatePermission,
      );
      res.json(
        await diagnoses.changeStatus(
          id,
          change,
          actorOf(credentials),
          credentials,
        ),
      );
    });

    router.post('/anomalies/:id/research', async (req, res) => {
      const id = parseId(req.params.id, 'an anomaly');
      await authorize(req, productOsReadPermission);
      const credentials = await authorize(
        req,
        productOsDiagnosisUpdatePermission,
      );
      res
        .status(201)
        .json(
          await diagnoses.researchAgain(id, actorOf(credentials), credentials),
        );
    });
  }

  router.get('/admin/unmapped', async (req, res) => {
    await authorize(req, productOsAdminPermission);
    const page = parseQuery(queries.unmapped, req.query);
    const [items, total] = await Promise.all([
      store.listUnmapped(page),
      store.countUnmapped(),
    ]);
    res.json({ items, total, limit: page.limit, offset: page.offset });
  });

  router.get('/admin/audit', async (req, res) => {
    await authorize(req, productOsAdminPermission);
    const { limit } = parseQuery(queries.window, req.query);
    res.json({ items: await store.listAudit(limit ?? 100) });
  });

  return router;
}

/** Who did it, for the diagnosis' history: the user's entity ref, or the calling service. */
function actorOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type?: string;
    userEntityRef?: string;
    subject?: string;
  };
  return principal.userEntityRef ?? principal.subject ?? 'unknown';
}
