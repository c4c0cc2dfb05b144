import type { LoggerService } from '@backstage/backend-plugin-api';
import type { RateBudget } from './RateBudget';

/**
 * How far the first back-fill of the repositories has come, for the logs: repositories done,
 * what a back-fill has cost so far, and at the budget's pace how long the rest will take. It
 * knows the repositories the host asked scopes for since this backend started.
 */
export class BackfillProgress {
  private readonly known = new Set<string>();
  private readonly done = new Set<string>();
  private spent = 0;
  private completed = 0;

  constructor(private readonly logger: LoggerService) {}

  /** A repository some entity names. */
  saw(scope: string): void {
    this.known.add(scope);
  }

  /** One pull of a repository still back-filling: what it spent and whether it finished. */
  record(options: {
    scope: string;
    finished: boolean;
    counted: number;
    budget: RateBudget;
    now: number;
  }): void {
    const { scope, finished, counted, budget, now } = options;
    this.known.add(scope);
    this.spent += counted;
    if (finished && !this.done.has(scope)) {
      this.done.add(scope);
      this.completed += 1;
    }
    const pending = this.known.size - this.done.size;
    const perRepository =
      this.completed > 0 ? this.spent / this.completed : undefined;
    const perHour = budget.usablePerHour();
    const status = budget.status();
    const hoursLeft =
      perRepository !== undefined && perHour
        ? (pending * perRepository) / perHour
        : undefined;
    this.logger.info('GitHub back-fill progress', {
      repositories: this.known.size,
      backfilled: this.done.size,
      requestsPerRepository:
        perRepository === undefined ? undefined : Math.round(perRepository),
      remaining: status?.remaining,
      resetsInMinutes:
        status === undefined
          ? undefined
          : Math.max(0, Math.round((status.resetAt - now) / 60_000)),
      timeLeftMinutes:
        hoursLeft === undefined ? undefined : Math.round(hoursLeft * 60),
    });
  }

  /** A repository with a complete back-fill before this backend started. */
  alreadyDone(scope: string): void {
    this.known.add(scope);
    this.done.add(scope);
  }
}
