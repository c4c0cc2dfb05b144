import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { productOsPermissions } from '@internal/plugin-product-os-common';
import {
  createSourceStore,
  DiagnosisNarrator,
  productOsNarratorExtensionPoint,
  ProductOsSource,
  productOsSourcesExtensionPoint,
  WorkerPool,
} from '@internal/plugin-product-os-node';
import { DiagnosisActions } from './actions/DiagnosisActions';
import { OctokitGithubWriter } from './actions/GithubWriter';
import { CatalogEntityContexts } from './agent/CatalogEntityContexts';
import { DiagnosisService } from './agent/DiagnosisService';
import { MonitoringAgent } from './agent/MonitoringAgent';
import { OutcomeEvaluator } from './agent/outcomes/OutcomeEvaluator';
import { OutcomeRecalibrator } from './agent/outcomes/OutcomeRecalibrator';
import { scheduleAgent } from './agent/scheduleAgent';
import { readProductOsConfig } from './config';
import { createProductOsStores } from './database/createProductOsStores';
import { ReadModel } from './database/readModel/ReadModel';
import { CatalogEntityResolver } from './entities/CatalogEntityResolver';
import { EntityAccess } from './entities/EntityAccess';
import { EntityChangeSignals } from './live/EntityChangeSignals';
import { observeWrites } from './live/observeWrites';
import { DiagnosisNotifier } from './notifications/DiagnosisNotifier';
import { readHealthConfig } from './leaders/healthConfig';
import { LeadersService } from './leaders/LeadersService';
import { SnapshotStore } from './leaders/snapshots/SnapshotStore';
import {
  scheduleSnapshots,
  SnapshotWriter,
} from './leaders/snapshots/SnapshotWriter';
import { EntityFactsService } from './read/EntityFactsService';
import { createReadServices } from './read/ReadServices';
import { scheduleRetention } from './retention/scheduleRetention';
import { createRouter } from './service/router';
import { IngestSignals } from './sources/IngestSignals';
import { mountSources } from './sources/mountSources';
import { SharpErrorRise } from './sources/SharpErrorRise';
import { CatalogPullEntities } from './sync/CatalogPullEntities';
import { pullSourcesOf } from './sync/pullSources';
import { schedulePulls } from './sync/schedulePulls';
import { SyncService } from './sync/SyncService';
import { registerReadTools } from './tools/registerReadTools';
import { ToolAccess } from './tools/toolAccess';

/**
 * Product OS backend plugin: the store, the read API, the vendor-facing routes of the source
 * modules and their scheduled syncs.
 *
 * @public
 */
export const productOsPlugin = createBackendPlugin({
  pluginId: 'product-os',
  register(env) {
    const sources: ProductOsSource[] = [];
    env.registerExtensionPoint(productOsSourcesExtensionPoint, {
      addSource(source) {
        sources.push(source);
      },
    });
    // Set by at most one module (e.g. openai-narrator); the agent passes it to narrateDiagnosis
    // (src/agent/narrate) with config.narrator.timeoutMs. Undefined: deterministic summaries;
    // untrusted text is screened and flagged either way.
    let narrator: DiagnosisNarrator | undefined;
    env.registerExtensionPoint(productOsNarratorExtensionPoint, {
      setNarrator(next) {
        if (narrator) {
          throw new Error(
            `A diagnosis narrator (${narrator.id}) is already set; ${next.id} cannot replace it`,
          );
        }
        narrator = next;
      },
    });

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
        notifications: notificationService,
        signals: signalsServiceRef,
        actionsRegistry: actionsRegistryServiceRef,
      },
      async init(deps) {
        const { logger, httpRouter, scheduler, catalog, auth } = deps;
        const config = readProductOsConfig(deps.config);
        deps.permissionsRegistry.addPermissions(productOsPermissions);

        const stored = await createProductOsStores({
          database: deps.database,
          sampleSize: config.errorSampleSize,
          logger,
          lifecycle: deps.lifecycle,
        });
        // Every write of an entity's data tells its open pages (Backstage signals), and every
        // diagnosis written or reviewed tells its owners (Backstage notifications).
        const liveUpdates = new EntityChangeSignals({
          signals: deps.signals,
          minIntervalMs: config.liveUpdates.minIntervalMs,
          logger: logger.child({ task: 'live-updates' }),
        });
        deps.lifecycle.addShutdownHook(() => liveUpdates.stop());
        const changes = config.liveUpdates.enabled ? liveUpdates : undefined;
        const notifier = new DiagnosisNotifier({
          notifications: deps.notifications,
          log: stored.notifications,
          texts: stored.diagnoses,
          config: config.notifications,
          logger: logger.child({ task: 'notifications' }),
        });
        const stores = observeWrites(stored, {
          changed: (entityRef, topics) => changes?.changed(entityRef, topics),
          diagnosisChanged: diagnosis => notifier.diagnosisChanged(diagnosis),
        });
        const signals = new IngestSignals();
        const resolver = new CatalogEntityResolver({
          catalog,
          auth,
          logger,
          maxAgeMs: config.entityCacheMs,
        });

        // Every source's errors, judged from the stored hourly counts by the agent's thresholds.
        const riseCheck = new SharpErrorRise(
          stores.errors,
          config.agent.spike,
          {
            newGroupMinEvents: config.agent.newGroupMinEvents,
            newGroupEarlyMinEvents: config.agent.newGroupEarly.minEvents,
          },
        );
        // Large bodies are parsed on these threads, not on the event loop.
        const workers = new WorkerPool(config.ingestWorkers);
        deps.lifecycle.addShutdownHook(() => workers.close());
        const sourcesRouter = await mountSources({
          sources,
          workers,
          context: {
            store: stores.ingest,
            entities: resolver,
            notifier: signals,
            riseCheck,
            changes,
          },
          logger,
          httpRouter,
          scheduler,
          routes: config.sources,
        });
        const sync = new SyncService({
          ...pullSourcesOf(sources, config.pullSchedules),
          entities: new CatalogPullEntities({
            catalog,
            auth,
            maxAgeMs: config.entityCacheMs,
          }),
          // The same tail as a delivery's, without the limit on unclaimed keys: a pull is not a
          // sender that can be told to slow down.
          store: createSourceStore({
            store: stores.ingest,
            entities: resolver,
            notifier: signals,
            riseCheck,
            logger,
            changes,
          }),
          states: stores.sync,
          logger,
        });
        await schedulePulls({ sync, scheduler, logger });
        await scheduleRetention({
          store: stores.retention,
          scheduler,
          logger,
          retention: config.retention,
        });

        // What became of each diagnosis: judged after each agent pass, and at once on a rejection.
        const outcomes = new OutcomeEvaluator({
          stores,
          logger: logger.child({ task: 'diagnosis-outcomes' }),
        });
        const agent = new MonitoringAgent({
          stores,
          entities: new CatalogEntityContexts({ catalog, auth }),
          config: config.agent,
          logger: logger.child({ task: 'diagnosis-agent' }),
          // Screening always runs; without a narrator the deterministic summary is saved.
          narrator,
          narrationTimeoutMs: config.narrator.timeoutMs,
          recalibration: OutcomeRecalibrator.fromConfig(
            config.agent,
            stores.outcomes,
          ),
        });
        await scheduleAgent({
          agent,
          outcomes,
          scheduler,
          signals,
          logger,
          config: config.agent,
          lifecycle: deps.lifecycle,
        });

        const entityAccess = new EntityAccess(catalog);
        const actions = new DiagnosisActions({
          enabled: config.actions.enabled,
          diagnoses: stores.diagnoses,
          changes: stores.changes,
          audit: stores.audit,
          entities: entityAccess,
          writer: OctokitGithubWriter.fromConfig(
            deps.config,
            config.actions.github,
          ),
          logger: logger.child({ task: 'diagnosis-actions' }),
        });
        if (narrator)
          logger.info('Diagnosis summaries are narrated', {
            narrator: narrator.id,
          });

        const knex = await deps.database.getClient();
        const health = readHealthConfig(deps.config);
        const healthSettings = {
          weights: health.weights,
          environments: config.agent.environments,
        };
        const reads = createReadServices({
          ...stores,
          readModel: new ReadModel(knex),
          entities: entityAccess,
          knex,
          health: healthSettings,
        });
        const facts = new EntityFactsService(
          knex,
          entityAccess,
          healthSettings,
        );
        const snapshots = new SnapshotStore(knex);
        const leaders = new LeadersService({
          knex,
          entities: entityAccess,
          snapshots,
          health: healthSettings,
          tieMargin: health.tieMargin,
        });
        // The reads as tools for agents, through the MCP actions backend when it is installed.
        registerReadTools({
          registry: deps.actionsRegistry,
          access: new ToolAccess(deps.permissions, entityAccess),
          entity: reads.entity,
          facts,
          leaders,
        });
        await scheduleSnapshots({
          writer: new SnapshotWriter({
            knex,
            entities: entityAccess,
            auth,
            snapshots,
            health: healthSettings,
            logger: logger.child({ task: 'health-snapshots' }),
          }),
          scheduler,
          schedule: health.snapshotSchedule,
          logger,
        });
        httpRouter.use(
          await createRouter({
            reads,
            facts,
            entities: entityAccess,
            leaders,
            tieMargin: health.tieMargin,
            actions,
            sync,
            diagnoses: new DiagnosisService({
              diagnoses: stores.diagnoses,
              anomalies: stores.anomalies,
              entities: entityAccess,
              agent: config.agent.enabled ? agent : undefined,
              outcomes,
            }),
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            sourcesRouter,
          }),
        );
      },
    });
  },
});
