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
  DEFAULT_TIE_MARGIN,
  HealthList,
  productOsAdminPermission,
  productOsDiagnosisActPermission,
  productOsDiagnosisUpdatePermission,
  ProductOsFrontendConfig,
  productOsReadPermission,
  productOsSyncPermission,
} from '@internal/plugin-product-os-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import type { DiagnosisActions } from '../actions/DiagnosisActions';
import type { DiagnosisService } from '../agent/DiagnosisService';
import { actorOf } from '../entities/actorOf';
import type { EntityAccess } from '../entities/EntityAccess';
import type { EntityFactsService } from '../read/EntityFactsService';
import type { LeadersReads, RollupKind } from '../leaders/LeadersService';
import type { ReadServices } from '../read/ReadServices';
import type { SyncService } from '../sync/SyncService';
import {
  ChangesQuery,
  DiagnosesQuery,
  HealthQuery,
  queries,
  runActionBody,
  RunActionBody,
  statusChangeBody,
  StatusChangeBody,
  toRange,
  UnmappedQuery,
  validActionPath,
  validBody,
  validId,
  validQuery,
  WindowQuery,
} from './parameters';

const ROLLUP_KINDS: RollupKind[] = ['group', 'system', 'domain'];

export interface RouterOptions {
  /** The read side: every read route answers through one of these. */
  reads: ReadServices;
  entities: EntityAccess;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  /** Writes diagnoses to GitHub on a confirmed preview; without it actions are off. */
  actions?: DiagnosisActions;
  /** Reading single diagnoses, their lifecycle and re-research; without it those routes are absent. */
  diagnoses?: DiagnosisService;
  /** Every tracked entity's figures for scorecards (`GET /facts`); without it that route is absent. */
  facts?: EntityFactsService;
  /** DORA, health history and roll-ups of teams, systems and domains; without it those routes are absent. */
  leaders?: LeadersReads;
  /** `productOs.health.tieMargin`, which `/health` tells the leaders' page to rank by. */
  tieMargin?: number;
  /** The sources' pull state and "sync now"; without it those routes are absent. */
  sync?: SyncService;
  /** The vendor-facing routes of the sources, mounted before the authenticated ones. */
  sourcesRouter?: express.Router;
  now?: () => number;
}

/**
 * Maps the Product OS HTTP API onto its services. A route validates its request (middleware
 * from `parameters.ts`), authorizes the caller, and hands the rest to a service.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { reads, entities, httpAuth, permissions } = options;
  const now = options.now ?? Date.now;
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
  const windowQuery = validQuery(queries.window);

  router.get(`${entityPath}/overview`, windowQuery, async (req, res) => {
    const query: WindowQuery = res.locals.query;
    const { entityRef, credentials } = await readableEntity(req);
    res.json(
      await reads.entity.overview(
        entityRef,
        toRange(query, now()),
        credentials,
      ),
    );
  });

  router.get(`${entityPath}/errors`, windowQuery, async (req, res) => {
    const query: WindowQuery = res.locals.query;
    const { entityRef } = await readableEntity(req);
    res.json({
      items: await reads.entity.errors(entityRef, {
        ...toRange(query, now()),
        limit: query.limit ?? 50,
      }),
    });
  });

  router.get(`${entityPath}/errors/trend`, windowQuery, async (req, res) => {
    const query: WindowQuery = res.locals.query;
    const { entityRef } = await readableEntity(req);
    res.json(await reads.entity.errorTrend(entityRef, toRange(query, now())));
  });

  router.get(
    `${entityPath}/changes`,
    validQuery(queries.changes),
    async (req, res) => {
      const query: ChangesQuery = res.locals.query;
      const { entityRef } = await readableEntity(req);
      res.json({
        items: await reads.entity.changes(entityRef, {
          ...toRange(query, now()),
          kinds: query.kind,
          limit: query.limit ?? 100,
        }),
      });
    },
  );

  router.get(`${entityPath}/incidents`, windowQuery, async (req, res) => {
    const query: WindowQuery = res.locals.query;
    const { entityRef } = await readableEntity(req);
    res.json({
      items: await reads.entity.incidents(entityRef, toRange(query, now())),
    });
  });

  router.get(`${entityPath}/metrics`, windowQuery, async (req, res) => {
    const query: WindowQuery = res.locals.query;
    const { entityRef } = await readableEntity(req);
    res.json({
      items: await reads.entity.metrics(entityRef, toRange(query, now())),
    });
  });

  router.get(
    `${entityPath}/diagnoses`,
    validQuery(queries.diagnoses),
    async (req, res) => {
      const query: DiagnosesQuery = res.locals.query;
      const { entityRef, credentials } = await readableEntity(req);
      res.json({
        items: await reads.entity.diagnoses(
          entityRef,
          {
            statuses: query.status,
            actionability: query.actionability,
            limit: query.limit,
          },
          credentials,
        ),
      });
    },
  );

  router.get(`${entityPath}/timeline`, windowQuery, async (req, res) => {
    const query: WindowQuery = res.locals.query;
    const { entityRef, credentials } = await readableEntity(req);
    res.json({
      items: await reads.entity.timeline(
        entityRef,
        toRange(query, now()),
        credentials,
      ),
    });
  });

  const { leaders } = options;
  if (leaders) {
    router.get(`${entityPath}/dora`, async (req, res) => {
      const { entityRef } = await readableEntity(req);
      res.json(await leaders.entityDora(entityRef, now()));
    });

    router.get(`${entityPath}/health/history`, async (req, res) => {
      const { entityRef } = await readableEntity(req);
      res.json({ items: await leaders.entityHistory(entityRef, now()) });
    });

    // A team with all its sub-groups, a system or a domain: the subject itself must be readable,
    // and only the services the caller may see count.
    router.get('/rollups/:kind/:namespace/:name', async (req, res) => {
      const kind = req.params.kind.toLowerCase();
      if (!ROLLUP_KINDS.includes(kind as RollupKind)) {
        throw new InputError(
          `A roll-up is of a group, a system or a domain, not a ${req.params.kind}`,
        );
      }
      const { entityRef, credentials } = await readableEntity(req);
      res.json(
        await leaders.rollup(kind as RollupKind, entityRef, credentials, now()),
      );
    });
  }

  const { sync } = options;
  if (sync) {
    /** The entity of the path as a pull sees it, once the caller may read it. */
    const syncedEntity = async (req: Request) => {
      const credentials = await authorize(req, productOsReadPermission);
      const entity = await entities.getReadable(
        {
          kind: req.params.kind,
          namespace: req.params.namespace,
          name: req.params.name,
        },
        credentials,
      );
      return {
        entityRef: stringifyEntityRef(entity),
        annotations: entity.metadata.annotations ?? {},
      };
    };

    router.get(`${entityPath}/sync`, async (req, res) => {
      res.json(await sync.status(await syncedEntity(req)));
    });

    router.post(`${entityPath}/sync`, async (req, res) => {
      const entity = await syncedEntity(req);
      await authorize(req, productOsSyncPermission);
      res.json(await sync.syncNow(entity));
    });
  }

  // The leaders' page: tracked components and systems the caller may see, worst first.
  router.get('/health', validQuery(queries.health), async (req, res) => {
    const query: HealthQuery = res.locals.query;
    const credentials = await authorize(req, productOsReadPermission);
    const { owner, system, lifecycle } = query;
    const list: HealthList = {
      items: await reads.health.list(
        { owner, system, lifecycle },
        toRange(query, now()),
        credentials,
      ),
      tieMargin: options.tieMargin ?? DEFAULT_TIE_MARGIN,
    };
    res.json(list);
  });

  // Scorecards (the Tech Insights fact retriever): every tracked entity the caller may see.
  const { facts } = options;
  if (facts) {
    router.get('/facts', validQuery(queries.health), async (req, res) => {
      const query: HealthQuery = res.locals.query;
      const credentials = await authorize(req, productOsReadPermission);
      const { owner, system, lifecycle } = query;
      res.json({
        items: await facts.list(
          { owner, system, lifecycle },
          toRange(query, now()),
          credentials,
        ),
      });
    });
  }

  // The portal-wide inbox, e.g. `?actionability=needs_human&status=open`.
  router.get('/diagnoses', validQuery(queries.diagnoses), async (req, res) => {
    const query: DiagnosesQuery = res.locals.query;
    const credentials = await authorize(req, productOsReadPermission);
    res.json({
      items: await reads.inbox.list(
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

    router.post(`${actionPath}/preview`, validActionPath, async (req, res) => {
      const credentials = await authorize(req, productOsReadPermission);
      const [act] = await permissions.authorize(
        [{ permission: productOsDiagnosisActPermission }],
        { credentials },
      );
      res.json(
        await actions.preview({
          diagnosisId: res.locals.id,
          action: res.locals.action,
          credentials,
          canAct: act.result === AuthorizeResult.ALLOW,
        }),
      );
    });

    // Only a person can confirm, so only user credentials may run an action. Who may not run
    // it is told so before anything about the body.
    router.post(
      `${actionPath}/run`,
      validActionPath,
      async (req, res, next) => {
        const credentials = await httpAuth.credentials(req, {
          allow: ['user'],
        });
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
        res.locals.credentials = credentials;
        next();
      },
      validBody(runActionBody),
      async (_req, res) => {
        const body: RunActionBody = res.locals.body;
        res.status(201).json(
          await actions.run({
            diagnosisId: res.locals.id,
            action: res.locals.action,
            previewToken: body.previewToken,
            credentials: res.locals.credentials,
          }),
        );
      },
    );
  }

  const { diagnoses } = options;
  if (diagnoses) {
    router.get('/diagnoses/:id', validId('a diagnosis'), async (req, res) => {
      const credentials = await authorize(req, productOsReadPermission);
      res.json(await diagnoses.get(res.locals.id, credentials));
    });

    router.post(
      '/diagnoses/:id/status',
      validId('a diagnosis'),
      validBody(statusChangeBody),
      async (req, res) => {
        const change: StatusChangeBody = res.locals.body;
        await authorize(req, productOsReadPermission);
        const credentials = await authorize(
          req,
          productOsDiagnosisUpdatePermission,
        );
        res.json(
          await diagnoses.changeStatus(
            res.locals.id,
            change,
            actorOf(credentials),
            credentials,
          ),
        );
      },
    );

    router.post(
      '/anomalies/:id/research',
      validId('an anomaly'),
      async (req, res) => {
        await authorize(req, productOsReadPermission);
        const credentials = await authorize(
          req,
          productOsDiagnosisUpdatePermission,
        );
        res
          .status(201)
          .json(
            await diagnoses.researchAgain(
              res.locals.id,
              actorOf(credentials),
              credentials,
            ),
          );
      },
    );
  }

  // Administrators only, and who is not one learns nothing about the query's shape.
  const adminOnly: express.RequestHandler = async (req, _res, next) => {
    await authorize(req, productOsAdminPermission);
    next();
  };

  router.get(
    '/admin/unmapped',
    adminOnly,
    validQuery(queries.unmapped),
    async (_req, res) => {
      const page: UnmappedQuery = res.locals.query;
      res.json(await reads.admin.unmapped(page));
    },
  );

  router.get('/admin/audit', adminOnly, windowQuery, async (_req, res) => {
    const { limit }: WindowQuery = res.locals.query;
    res.json({ items: await reads.admin.auditLog(limit ?? 100) });
  });

  return router;
}
