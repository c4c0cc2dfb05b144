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
         * Largest delivery accepted, in bytes, on the wire and after decompression. Default
         * 26214400 (25 MiB), the cap GitHub puts on webhook payloads.
         */
        bodyLimitBytes?: number;
      };
    };
  };
}
