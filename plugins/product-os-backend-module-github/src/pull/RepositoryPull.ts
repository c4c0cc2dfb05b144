import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  ChangeEventInput,
  forEachSlice,
  PullRequest,
} from '@internal/plugin-product-os-node';
import { assignToEntities } from '../assignToEntities';
import type { GitHubChange } from '../events';
import type { GraphqlAnswer, RepositoryClient } from './GitHubApi';
import type { RepositoryCursor } from './RepositoryCursor';

/** Changes assigned to entities between two turns of the event loop, as the webhook does. */
const CHANGES_PER_SLICE = 256;

/** A file of a merged pull request, as its file list names it. */
export interface MergedFile {
  filename: string;
  status: string;
  previous_filename?: string;
}

/** A pull request merged in this run, as the commits step needs it. */
export interface MergedPullRequest {
  number: number;
  files: MergedFile[];
  /** Its commits, when GraphQL told them. */
  commits?: number;
  /** Keyed by its only commit (a pull request of one commit), not by its merge commit. */
  soleCommit?: boolean;
}

/** Thrown by a step when the budget's reserve is reached; the pull keeps what it stored. */
export class BudgetPaused extends Error {
  name = 'BudgetPaused';
}

/**
 * One repository's pull in progress: its client, the cursor each step moves on, and the write
 * of a page of changes (assigned to the scope's entities by their paths, as a webhook delivery
 * is, and stored in one transaction).
 */
export class RepositoryPull {
  /** Change rows written. */
  items = 0;
  /** Requests claimed from the budget by the last `spend` and not answered yet. */
  private claimed = 0;
  /**
   * Files of the pull requests merged in this run, by merge commit sha and, for a pull request
   * of one commit, by that commit's sha too: the commits step reads such a commit's files from
   * here instead of asking for the commit (see `pullCommits`). Bounded by the pull requests
   * merged in one repository's window.
   */
  readonly mergedFiles = new Map<string, MergedPullRequest>();

  constructor(
    readonly owner: string,
    readonly repo: string,
    readonly client: RepositoryClient,
    readonly cursor: RepositoryCursor,
    private readonly request: PullRequest,
  ) {
    client.onAnswer = () => this.answered();
  }

  get now(): number {
    return this.request.now;
  }

  get logger(): LoggerService {
    return this.request.logger;
  }

  get signal(): AbortSignal {
    return this.request.signal;
  }

  /**
   * Stops the pull (keeping what is stored) unless `requests` more leave the reserve intact, and
   * claims them from the budget until they are made, so repositories pulled beside this one
   * count them. A step's estimate that was not all used is given back at the next step, as the
   * steps of one repository run one after another.
   */
  spend(requests: number): void {
    this.signal.throwIfAborted();
    this.releaseClaim();
    if (!this.client.budget.canSpend(requests, this.now)) {
      throw new BudgetPaused(
        `Paused to keep GitHub's rate-limit reserve; ${this.owner}/${this.repo} goes on at a later run`,
      );
    }
    this.claimed = requests;
    this.client.budget.claim(requests);
  }

  /**
   * A GraphQL query that costs about `points` of the GraphQL budget (GitHub's own estimate: a
   * hundredth of the connection pages it may read), paced as `spend` paces REST requests.
   */
  async graphql<T extends GraphqlAnswer>(
    query: string,
    variables: Record<string, unknown>,
    points: number,
  ): Promise<T> {
    this.signal.throwIfAborted();
    const { budget } = this.client;
    if (!budget.canSpend(points, this.now, 'graphql')) {
      throw new BudgetPaused(
        `Paused to keep GitHub's GraphQL rate-limit reserve; ${this.owner}/${this.repo} goes on at a later run`,
      );
    }
    budget.claim(points, 'graphql');
    try {
      return await this.client.graphql<T>(query, variables);
    } finally {
      budget.release(points, 'graphql');
    }
  }

  /** One request of this pull was answered: it no longer needs its claim. */
  answered(): void {
    if (this.claimed === 0) return;
    this.claimed -= 1;
    this.client.budget.release(1);
  }

  /** Gives back what this pull claimed and did not use (at each step, and when it ends). */
  releaseClaim(): void {
    this.client.budget.release(this.claimed);
    this.claimed = 0;
  }

  async write(changes: GitHubChange[]): Promise<void> {
    const dated = changes.filter(change => Number.isFinite(change.occurredAt));
    if (dated.length === 0) return;
    const records: ChangeEventInput[] = [];
    await forEachSlice(dated, CHANGES_PER_SLICE, slice => {
      records.push(...assignToEntities(slice, this.request.entities));
    });
    if (records.length === 0) return;
    await this.request.store.ingest({ source: 'github' }, writer =>
      writer.upsertChangeEvents(records),
    );
    this.items += records.length;
  }
}
