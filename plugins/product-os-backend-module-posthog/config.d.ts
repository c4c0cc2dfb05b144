import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  productOs?: {
    sources?: {
      /**
       * The PostHog source: capture endpoints compatible with the PostHog SDKs at
       * `/api/product-os/posthog` (`/batch/`, `/capture/`, `/e/`, `/i/v0/e/`, `/track/`). An SDK
       * sends here when its host is `https://<backstage>/api/product-os/posthog`.
       */
      posthog?: {
        /** Requests accepted per project API key per minute; more are answered 429. Default 1200. */
        rateLimitPerMinute?: number;
        /** Size limits of a capture request. */
        bodyLimits?: {
          /** Bytes accepted on the wire (compressed). Default 1048576 (1 MiB). */
          compressedBytes?: number;
          /**
           * Bytes accepted after decompression. Default 2097152 (2 MiB): parsing a larger body
           * holds the event loop (PostHog itself takes 20 MiB; raising this trades other routes'
           * latency for bigger batches).
           */
          decompressedBytes?: number;
        };
        /**
         * Pulling from PostHog's query API (HogQL): hourly counts and distinct users of each
         * entity's key metrics (`product-os.io/key-metrics`) in the project its
         * `posthog.com/project-id` names, and its `$exception` events as error groups. Off while
         * `personalApiKey` is not set.
         */
        pull?: {
          /**
           * A personal API key (`phx_…`, Settings, Personal API keys) with the `query:read` scope
           * for the projects the entities name.
           * @visibility secret
           */
          personalApiKey?: string;
          /**
           * PostHog's app host: https://us.posthog.com (the default), https://eu.posthog.com, or
           * a self-hosted instance's URL. Not the ingestion host (`us.i.posthog.com`).
           */
          host?: string;
          /** Days of history the first pull of a project fetches. Default 30, at most 90. */
          backfillDays?: number;
          /** One request's deadline, in seconds; a request past it is retried. Default 30. */
          requestTimeoutSeconds?: number;
          /** Whether `$exception` events are pulled as error groups. Default true. */
          errorTracking?: boolean;
          /** The metrics pull's schedule (default every hour); the host reads it. */
          metrics?: {
            schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
          };
          /** The exceptions pull's schedule (default every 15 minutes); the host reads it. */
          exceptions?: {
            schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
          };
        };
      };
    };
  };
}
