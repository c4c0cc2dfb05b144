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
      };
    };
  };
}
