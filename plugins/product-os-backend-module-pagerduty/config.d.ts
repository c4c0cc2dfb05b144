export interface Config {
  productOs?: {
    sources?: {
      /**
       * The PagerDuty source: V3 webhooks at `POST /api/product-os/pagerduty/webhook` and an
       * Events API v2 endpoint at `POST /api/product-os/pagerduty/v2/enqueue` (and
       * `/v2/change/enqueue`).
       */
      pagerduty?: {
        /**
         * The signing secrets of the PagerDuty webhook subscriptions that send here. A webhook is
         * accepted when one of its `X-PagerDuty-Signature` signatures matches one of these, so
         * during a secret rotation list both the old and the new secret. Webhooks are refused
         * while the list is empty.
         * @visibility secret
         */
        webhookSecrets?: string[];
        /**
         * Requests accepted per minute for each Events API routing key, and for each webhook
         * subscription; more are answered 429 with `Retry-After`. Default 600.
         */
        rateLimitPerMinute?: number;
        /**
         * Pulling from PagerDuty's REST API: every incident of each entity's
         * `pagerduty.com/service-id` (resolved ones too) with its log entries as the timeline, and
         * the service's change events. Off while `token` is not set.
         */
        pull?: {
          /**
           * A REST API key (an account key, or a user key; read-only is enough), sent as
           * `Authorization: Token token=<key>`.
           * @visibility secret
           */
          token?: string;
          /**
           * Where the account lives: `us` (api.pagerduty.com, the default) or `eu`
           * (api.eu.pagerduty.com).
           */
          region?: 'us' | 'eu';
          /** The REST API's base URL, instead of the region's (e.g. a proxy). */
          baseUrl?: string;
          /** Days of incidents and change events the first pull of a service fetches. Default 90, at most 180. */
          backfillDays?: number;
          /** A request not answered within this many seconds is retried. Default 30. */
          requestTimeoutSeconds?: number;
        };
        /** Size limits of a request body. */
        bodyLimits?: {
          /**
           * Bytes accepted on the wire (compressed). Default 524288 (512 KiB), the Events API's
           * own limit; PagerDuty drops webhooks over 256 KiB before sending them.
           */
          compressedBytes?: number;
          /**
           * Bytes accepted after decompression. Default 524288 (512 KiB): a body is parsed in one
           * synchronous step, which holds the backend's event loop for as long as it takes.
           */
          decompressedBytes?: number;
        };
      };
    };
  };
}
