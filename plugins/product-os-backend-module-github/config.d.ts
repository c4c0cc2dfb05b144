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
         * Size limits of a delivery. GitHub caps webhook payloads at 25 MB and does not compress
         * them, but a proxy in front may.
         */
        bodyLimits?: {
          /** Bytes accepted on the wire (compressed). Default 26214400 (25 MiB). */
          compressedBytes?: number;
          /** Bytes accepted after decompression. Default 26214400 (25 MiB). */
          decompressedBytes?: number;
        };
      };
    };
  };
}
