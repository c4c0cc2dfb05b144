import { CustomErrorBase } from '@backstage/errors';

/*
 * Backstage's error middleware answers with an error's `statusCode` when it has one, so these
 * two give the ingestion endpoints their 413 and 429 without a middleware of their own.
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
}
