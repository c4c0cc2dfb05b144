import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  /** Configuration of the Product OS plugins. */
  productOs?: {
    /** How long data is kept. */
    retention?: {
      /** Days to keep raw samples: error events, user keys, delivery ids. Default 14. */
      rawDays?: number;
      /** Days to keep hourly buckets and metric points. Default 180. */
      aggregateDays?: number;
      /** When the retention job runs. Default every hour. */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
    /** Raw error events kept per error group (the newest N). Default 50. */
    errorSampleSize?: number;
    /** How often the cache of annotation-to-entity mappings follows the catalog, in seconds. Default 60. */
    entityCacheSeconds?: number;
    /** The diagnosis agent: detect anomalies, research candidate changes, write diagnoses. */
    agent?: {
      /** Whether the agent runs at all. Default true. */
      enabled?: boolean;
      /** When the agent looks at every active entity. Default every 15 minutes. */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /**
       * Seconds between a signal from ingestion (incident, new error group, a new group reaching
       * the events that make it an anomaly, rise) and the look it triggers; signals of one entity
       * within it make one look, and one more look follows it as long again later. Default 2.
       */
      signalDebounceSeconds?: number;
      /** Previous days whose same hour makes the baseline (median and MAD). Default 7. */
      baselineDays?: number;
      /** How many hours back an onset may lie for the agent to report it. Default 6. */
      detectWindowHours?: number;
      /** How many hours before the onset candidate changes are gathered. Default 24. */
      lookbackHours?: number;
      /** Signals about one entity whose onsets lie within this many minutes are one anomaly. Default 90. */
      mergeWindowMinutes?: number;
      /**
       * When an hour of errors is a spike. `minEvents` and `minRatio` also decide when ingestion
       * wakes the agent at once for a sharp rise of any source's errors (against the median of
       * the 6 hours before).
       */
      errorSpike?: {
        /** Events the hour needs, so a quiet service does not alarm on 3 errors. Default 20. */
        minEvents?: number;
        /** How many times the baseline median the hour must be. Default 3. */
        minRatio?: number;
        /** How many robust deviations (MAD, at least Poisson noise) above the median. Default 6. */
        minZ?: number;
      };
      /** Events a new error group needs before it is reported. Default 10. */
      newGroupMinEvents?: number;
      /**
       * A new error group is reported sooner, before `newGroupMinEvents`, when its first events
       * come fast and over more than one moment (not one burst of retries).
       */
      newGroupEarly?: {
        /** Events needed. Default 5. */
        minEvents?: number;
        /** Within this long of the group's first event. Default 120. */
        withinSeconds?: number;
        /** The first and last of them at least this far apart. Default 3. */
        minSpanSeconds?: number;
      };
      /** Events a resolved error group needs after coming back before it is reported. Default 5. */
      regressionMinEvents?: number;
      /** When a key metric (annotation product-os.io/key-metrics) has dropped. */
      metricDrop?: {
        /** Baseline events per hour below which a metric is too quiet to judge. Default 50. */
        minBaseline?: number;
        /** The fraction below the baseline that counts as a drop. Default 0.3. */
        minDrop?: number;
        /** How many robust deviations below the level-adjusted median. Default 3. */
        minZ?: number;
        /** Consecutive complete hours the drop must last. Default 2. */
        minHours?: number;
      };
      /**
       * Heartbeat: a key metric below its baseline (by metricDrop's minDrop and minZ) in the
       * first complete hour after a production deployment, when the hour before it began was
       * normal, is a signal after one hour instead of metricDrop.minHours.
       */
      heartbeat?: {
        /** Deployments that finished this many hours ago or less are watched. Default 3. */
        withinHours?: number;
      };
      /** Deployment environments that count as going live; empty for all. Default [production, prod]. */
      environments?: string[];
      /** Calibrated confidence a suspect needs to be named; below it the answer is "not enough evidence". Default 0.5. */
      minConfidence?: number;
      /** Hours a diagnosis without a suspect keeps collecting before it asks a human to look. Default 2. */
      collectingHours?: number;
      /** Suspects kept per diagnosis. Default 5. */
      maxSuspects?: number;
      /**
       * What the agent does with the outcomes it records for its diagnoses (verified, refuted,
       * inconclusive: was the named change rolled back and did the trouble stop then, did a
       * person reject it).
       */
      outcomes?: {
        /**
         * Whether this installation's outcomes adjust later confidences: per bin of 0.2, once it
         * has 10 outcomes, by at most 0.1 (see the agent's README, "Learning from outcomes").
         * Outcomes are recorded and shown either way. Default true.
         */
        recalibrate?: boolean;
      };
    };
    /** The optional narrator that rewrites diagnosis summaries (a module provides it, e.g. openai-narrator). */
    narrator?: {
      /** Milliseconds after which the narration is abandoned and the deterministic summary stands. Default 10000. */
      timeoutMs?: number;
    };
    /**
     * The sources (modules such as sentry and posthog), by id. Besides each module's own settings,
     * the host reads these for every source's vendor routes at `/api/product-os/<id>`.
     */
    sources?: {
      [sourceId: string]: {
        /**
         * Web origins whose pages may send to this source from a browser SDK (`@sentry/browser`,
         * `posthog-js`), e.g. `https://shop.example.com`: exact `scheme://host[:port]`, or `'*'`
         * for any page (only when you mean it). The routes then answer CORS preflights for these
         * origins, without credentials; the rest of the Backstage API keeps `backend.cors`.
         * Default none: no CORS headers, only servers can send.
         */
        allowedOrigins?: string[];
        /**
         * Seconds a request body may take to arrive; a slower one is answered 408 and its
         * connection closed. Default 10.
         */
        bodyTimeoutSeconds?: number;
        /**
         * The source's pulls from its vendor's API, by pull id (e.g. `issues`): the schedule
         * that replaces the pull's default. The scheduler task is `product-os.<source>.<pullId>`.
         */
        pull?: {
          [pullId: string]: {
            schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
          };
        };
      };
    };
    /**
     * The health score, its daily snapshots and the roll-ups of teams, systems and domains (see
     * the plugin README, "Health score").
     */
    health?: {
      /**
       * Per input of the score: the points it takes off 100 per unit of its value, and the most
       * it can take. Inputs: openIncidents, diagnosesNeedingHuman, openDiagnoses, errorGrowth,
       * errorVolume, newErrorGroups, regressedErrorGroups, keyMetricDrop, mttr, changeFailureRate.
       * An input left out keeps its default; `points: 0` turns it off.
       */
      weights?: {
        [input: string]: {
          points?: number;
          max?: number;
        };
      };
      /**
       * Services whose scores are less than this above the first of a tie, with the same open
       * incidents and diagnoses waiting, share a place: in roll-ups, the agent tools and on the
       * leaders' page (`/health` passes it on). Default 5.
       */
      tieMargin?: number;
      /** When the daily snapshot task (`product-os.health-snapshots`) runs. Default every hour. */
      snapshotSchedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
    /**
     * Backstage notifications to the owners of an entity about its diagnoses (needs
     * `@backstage/plugin-notifications-backend`): one per case, updated in place as the
     * diagnosis changes or is reviewed. See the backend README, "Notifications".
     */
    notifications?: {
      /** Whether diagnoses are sent at all. Default true. */
      enabled?: boolean;
      /**
       * The least severity a diagnosis needs to be sent: critical (an open incident), high (a
       * change to undo), normal (needs a person's decision) or low (still collecting). Default normal.
       */
      minSeverity?: 'critical' | 'high' | 'normal' | 'low';
      /** The least calibrated confidence a diagnosis naming a change needs, 0 to 1. Default 0.5. */
      minConfidence?: number;
      /** Whether diagnoses that name no change ("not enough evidence") are sent too. Default false. */
      notEnoughEvidence?: boolean;
      /**
       * The kinds of trouble whose diagnoses are sent: error_spike, new_error_group, regression,
       * incident, metric_drop. Default all of them.
       */
      anomalyKinds?: string[];
    };
    /**
     * Live updates of the entity pages: a Backstage signal on the entity's channel when its data
     * change (needs `@backstage/plugin-signals-backend`; pages poll without it).
     */
    /**
     * The worker threads on which the sources parse and map large request bodies, so that no
     * request holds the event loop for long.
     */
    ingestWorkers?: {
      /** Threads at most, started as bodies arrive. Default: one less than the CPUs, 1 to 4. */
      threads?: number;
      /** Bodies that may wait for a thread; beyond, a delivery is answered 503. Default 32. */
      maxQueued?: number;
      /** Bodies up to this many bytes are parsed on the event loop at once. Default 65536. */
      inThreadBytes?: number;
    };
    liveUpdates?: {
      /** Whether signals are published. Default true. */
      enabled?: boolean;
      /** An entity's changes within this many seconds of its last signal are sent together. Default 10. */
      minIntervalSeconds?: number;
    };
    /** Actions that write a diagnosis to GitHub after a person confirms a preview. */
    actions?: {
      /** Whether actions can run at all. Default false. */
      enabled?: boolean;
      /** Where the actions write. */
      github?: {
        /** The host of the `integrations.github` entry whose token or app writes. Default github.com. */
        host?: string;
        /** The GitHub API base URL, e.g. `https://ghe.example.com/api/v3`. Default: the integration's apiBaseUrl. */
        baseUrl?: string;
      };
    };
  };
}
