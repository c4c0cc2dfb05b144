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
      };
    };
  };
}
