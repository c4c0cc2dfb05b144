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
  private points = 0;
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
    /** GraphQL points it spent. */
    points: number;
    budget: RateBudget;
    now: number;
  }): void {
    const { scope, finished, counted, points, budget, now } = options;
    this.known.add(scope);
    this.spent += counted;
    this.points += points;
    if (finished && !this.done.has(scope)) {
      this.done.add(scope);
      this.completed += 1;
    }
    const pending = this.known.size - this.done.size;
    const perRepository =
      this.completed > 0 ? this.spent / this.completed : undefined;
    const pointsPerRepository =
      this.completed > 0 ? this.points / this.completed : undefined;
    const status = budget.status();
    const graphql = budget.status('graphql');
    // The back-fill goes at the pace of whichever budget it uses up first.
    const hoursLeft = Math.max(
      hoursFor(pending, perRepository, budget.usablePerHour()) ?? NaN,
      hoursFor(pending, pointsPerRepository, budget.usablePerHour('graphql')) ??
        0,
    );
    this.logger.info('GitHub back-fill progress', {
      repositories: this.known.size,
      backfilled: this.done.size,
      requestsPerRepository:
        perRepository === undefined ? undefined : Math.round(perRepository),
      graphqlPointsPerRepository:
        pointsPerRepository === undefined
          ? undefined
          : Math.round(pointsPerRepository * 10) / 10,
      remaining: status?.remaining,
      graphqlRemaining: graphql?.remaining,
      resetsInMinutes:
        status === undefined
          ? undefined
          : Math.max(0, Math.round((status.resetAt - now) / 60_000)),
      timeLeftMinutes: Number.isNaN(hoursLeft)
        ? undefined
        : Math.round(hoursLeft * 60),
    });
  }

  /** A repository with a complete back-fill before this backend started. */
  alreadyDone(scope: string): void {
    this.known.add(scope);
    this.done.add(scope);
  }
}

/** Hours `pending` repositories take at `perRepository` of a budget of `perHour` an hour. */
function hoursFor(
  pending: number,
  perRepository: number | undefined,
  perHour: number | undefined,
): number | undefined {
  return perRepository !== undefined && perHour
    ? (pending * perRepository) / perHour
    : undefined;
}
