import { LoggerService } from '@backstage/backend-plugin-api';
import { StoreUnavailableError } from '@internal/plugin-product-os-node';
import { isDatabaseUnavailable, unavailableReason } from '../unavailable';

/** What a sender is told to wait when the database cannot be reached. */
export const DEFAULT_RETRY_AFTER_SECONDS = 30;

/**
 * Runs the writes a sender is waiting for. When the database cannot be reached a write fails
 * with a 503 the sender retries after `Retry-After`, and the outage is logged once, when it
 * begins (and once more when a write succeeds again), not for every request that meets it.
 */
export class OutageGuard {
  /** False from the first failed write of an outage until a write succeeds again. */
  private reachable = true;

  constructor(
    private readonly options: {
      logger?: LoggerService;
      retryAfterSeconds: number;
    },
  ) {}

  async run<T>(write: () => Promise<T>): Promise<T> {
    let result: T;
    try {
      result = await write();
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      if (this.reachable) {
        this.reachable = false;
        this.options.logger?.warn(
          `Product OS database unreachable; vendor deliveries answer 503 until it is back: ${unavailableReason(
            error,
          )}`,
        );
      }
      throw new StoreUnavailableError(
        'The Product OS database is unavailable; nothing was stored, retry later',
        { retryAfterSeconds: this.options.retryAfterSeconds },
      );
    }
    if (!this.reachable) {
      this.reachable = true;
      this.options.logger?.info('Product OS database reachable again');
    }
    return result;
  }
}
