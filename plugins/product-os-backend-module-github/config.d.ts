export interface Config {
  productOs?: {
    sources?: {
      /** The GitHub source: repository webhooks at `POST /api/product-os/github/webhook`. */
      github?: {
        /**
         * The secret set on the GitHub webhook; every delivery must carry its
         * `X-Hub-Signature-256`. Without it every delivery is refused.
         * @visibility secret
         */
        webhookSecret?: string;
        /** Deliveries accepted per repository per minute; more are answered 429. Default 600. */
        rateLimitPerMinute?: number;
        /**
         * Size limits of a delivery; larger ones are answered 413. GitHub caps webhook payloads
         * at 25 MB and does not compress them, but a proxy in front may. The default, 2 MiB, holds
         * a push of 2,048 commits with about ten files each, and parses in milliseconds; every
         * byte more holds the backend's event loop longer while it is parsed.
         */
        bodyLimits?: {
          /** Bytes accepted on the wire (compressed). Default 2097152 (2 MiB). */
          compressedBytes?: number;
          /** Bytes accepted after decompression. Default 2097152 (2 MiB). */
          decompressedBytes?: number;
        };
      };
    };
  };
}
