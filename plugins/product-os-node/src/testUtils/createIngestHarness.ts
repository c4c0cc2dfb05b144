import type { ErrorRequestHandler } from 'express';
import express from 'express';
import type { ProductOsSource } from '../extensions';
import { retryAfterOf } from '../http/errors';
import type { ProductOsIngestStore } from '../store';
import type { MockIngestStore } from './MockIngestStore';
import {
  mockSourceContext,
  MockSourceContext,
  MockSourceContextOptions,
} from './mockSourceContext';

/** A source's routes mounted over an in-memory store. @public */
export interface IngestHarness<S extends ProductOsIngestStore = MockIngestStore>
  extends MockSourceContext<S> {
  /** The source's router at `/`, answering errors as Backstage does; send to it with supertest. */
  app: express.Express;
}

/**
 * Mounts a source module's router with a {@link mockSourceContext}, so its routes can be sent
 * requests and what they wrote read back, without booting a backend.
 *
 * @public
 */
export async function createIngestHarness<
  S extends ProductOsIngestStore = MockIngestStore,
>(
  source: Pick<ProductOsSource, 'createRouter'>,
  options: MockSourceContextOptions<S> = {},
): Promise<IngestHarness<S>> {
  if (!source.createRouter) throw new Error('The source has no routes');
  const mock = mockSourceContext<S>(options);
  const app = express();
  app.use(await source.createRouter(mock.context));
  app.use(backstageErrors());
  return { ...mock, app };
}

/** Backstage's error names and their statuses (its error middleware answers the same). */
const STATUS_BY_NAME: Record<string, number> = {
  NotModifiedError: 304,
  InputError: 400,
  AuthenticationError: 401,
  NotAllowedError: 403,
  NotFoundError: 404,
  ConflictError: 409,
  NotImplementedError: 501,
  ServiceUnavailableError: 503,
};

/** The error answer of Backstage's middleware, with the `Retry-After` the host adds. */
function backstageErrors(): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const given = Number(error?.statusCode ?? error?.status);
    const statusCode =
      Number.isInteger(given) && given >= 400 && given < 600
        ? given
        : STATUS_BY_NAME[error?.name] ?? 500;
    const seconds = retryAfterOf(error);
    if (seconds !== undefined) res.setHeader('Retry-After', String(seconds));
    res.status(statusCode).json({
      error: { name: error?.name, message: error?.message },
      request: { method: req.method, url: req.url },
      response: { statusCode },
    });
  };
}
