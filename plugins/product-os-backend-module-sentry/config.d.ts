import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  productOs?: {
    sources?: {
      /** The Sentry source: SDK envelopes sent to Backstage, and Sentry integration webhooks. */
      sentry?: {
        /**
         * The Sentry projects whose SDKs may send events here. A service sets its DSN to
         * `http://<publicKey>@<backend host>/api/product-os/sentry/<id>`.
         */
        projects?: Array<{
          /** The numeric project id, the last path segment of the DSN. */
          id: string;
          /**
           * The DSN's public key. It is public by design (it ships inside every client), so it
           * only names the project; it is not a secret.
           */
          publicKey: string;
          /**
           * The project slug that catalog entities name in their `sentry.io/project-slug`
           * annotation, either `slug` or `organization/slug`.
           */
          slug: string;
          /**
           * The Sentry organization slug, so that entities annotated `organization/slug` match
           * too. Defaults to `productOs.sources.sentry.organization`.
           */
          organization?: string;
        }>;
        /** The Sentry organization slug the projects belong to, unless a project names its own. */
        organization?: string;
        /**
         * The client secret of the Sentry internal integration that sends webhooks; every webhook
         * is verified against it (`Sentry-Hook-Signature`). Webhooks are refused while it is unset.
         * @visibility secret
         */
        webhookSecret?: string;
        /** Requests allowed per DSN key (and for the webhook endpoint) per minute. Default 6000. */
        rateLimitPerMinute?: number;
        /** Size limits of SDK envelopes and store requests. */
        bodyLimits?: {
          /** Bytes accepted on the wire (compressed). Default 1048576 (1 MiB). */
          compressedBytes?: number;
          /** Bytes accepted after decompression. Default 20971520 (20 MiB). */
          decompressedBytes?: number;
          /**
           * Bytes of one error event (an envelope's `event` item, or a store body), as Sentry's
           * own limit; over it the request is refused with 413. An event is parsed in one step
           * that holds the event loop, so this bounds that step. Default 1048576 (1 MiB).
           */
          eventBytes?: number;
        };
        /** Size limit of a webhook body, in bytes (after decompression). Default 1048576 (1 MiB). */
        webhookBodyBytes?: number;
        /**
         * Pulling from Sentry's API (sentry.io, a region such as de.sentry.io, or self-hosted):
         * issues, hourly counts, latest events and releases of every project an entity names.
         * Off while `token` is unset.
         */
        pull?: {
          /**
           * An organization auth token (Settings, Auth Tokens) with `org:read`, `project:read`,
           * `event:read` and `project:releases`.
           * @visibility secret
           */
          token?: string;
          /** The API's origin. Default https://sentry.io; e.g. https://de.sentry.io or self-hosted. */
          baseUrl?: string;
          /**
           * The organization of annotations that name only a slug. Defaults to
           * `productOs.sources.sentry.organization`.
           */
          organization?: string;
          /** Days of history pulled the first time a project is pulled. Default 14. */
          backfillDays?: number;
          /** Busiest issues per pull whose latest event is fetched for its stack. Default 5. */
          samplesPerPull?: number;
          /** New issues per pull whose first release is looked up. Default 25. */
          releaseLookupsPerPull?: number;
          /** One request's deadline, in seconds. Default 30. */
          requestTimeoutSeconds?: number;
          /** Projects pulled at the same time (Sentry limits about 40 requests a second per endpoint). Default 12. */
          concurrency?: number;
          /** Projects pulled per run at most; the others wait for the next run. Default 1000. */
          projectsPerRun?: number;
          /** Overrides of the pull's schedule (default every 15 minutes), per pull id. */
          issues?: {
            schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
          };
        };
      };
    };
  };
}
