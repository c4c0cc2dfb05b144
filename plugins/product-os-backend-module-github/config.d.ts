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
        /**
         * Pulling from GitHub's API with the credentials of `integrations.github` (a token or a
         * GitHub App). Without credentials nothing is pulled and entity pages say how to connect.
         */
        pull?: {
          /** The integration host to pull from. Default: the first `integrations.github` with credentials. */
          host?: string;
          /** Days of history the first pull of a repository fetches. Default 30. */
          backfillDays?: number;
          /** Repositories pulled per scheduled run at most, least recently pulled first. Default 500. */
          repositoriesPerRun?: number;
          /** Repositories pulled at the same time. Default 8. */
          concurrency?: number;
        };
      };
    };
  };
}
