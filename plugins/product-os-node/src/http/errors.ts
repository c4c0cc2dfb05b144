import { CustomErrorBase, ServiceUnavailableError } from '@backstage/errors';

/*
 * Backstage's error middleware answers with an error's `statusCode` when it has one, so these
 * give the ingestion endpoints their 413, 429 and 503 without a middleware of their own. Errors
 * with `retryAfterSeconds` get a `Retry-After` header from the sources router.
 */

/** The request body is larger than the endpoint accepts (HTTP 413). @public */
export class PayloadTooLargeError extends CustomErrorBase {
  name = 'PayloadTooLargeError' as const;
  statusCode = 413;
}

/** The sender went over its rate (HTTP 429); `Retry-After` says when to come back. @public */
export class TooManyRequestsError extends CustomErrorBase {
  name = 'TooManyRequestsError' as const;
  statusCode = 429;
  /** When set, the sources router sends it as `Retry-After`. */
  retryAfterSeconds?: number;

  constructor(message?: string, options?: { retryAfterSeconds?: number }) {
    super(message);
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
}

/**
 * The Product OS database cannot be reached (HTTP 503): the sender should retry after
 * `retryAfterSeconds`, and nothing of the request was stored.
 *
 * @public
 */
export class StoreUnavailableError extends ServiceUnavailableError {
  statusCode = 503;
  readonly retryAfterSeconds: number;

  constructor(message: string, options: { retryAfterSeconds: number }) {
    // No cause: it would be appended to the message, and the database's address is nothing a
    // sender needs (the store logs the reason).
    super(message, undefined);
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** The seconds an error asks the sender to wait before retrying, if it says. @public */
export function retryAfterOf(error: unknown): number | undefined {
  const seconds = (error as { retryAfterSeconds?: unknown } | undefined)
    ?.retryAfterSeconds;
  return typeof seconds === 'number' && seconds > 0
    ? Math.ceil(seconds)
    : undefined;
}

/**
 * A source's endpoint cannot serve because its secret is not configured (HTTP 503, the answer
 * for something unavailable): every source answers a delivery it cannot verify this way, with
 * the setting to configure in the message. No `Retry-After`: it will not change by itself.
 *
 * @public
 */
export class SourceNotConfiguredError extends ServiceUnavailableError {
  statusCode = 503;

  /** `what` names the endpoint (`GitHub webhooks`), `setting` the config key that is missing. */
  constructor(what: string, setting: string) {
    super(`${what} are not configured: ${setting} is not set`);
  }
}
