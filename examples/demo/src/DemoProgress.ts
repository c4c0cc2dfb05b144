import type { Knex } from 'knex';

/** What the demo has sent so far, so that a restart continues the history instead of repeating it. */
export interface DemoState {
  /** Traffic has been sent up to here (epoch ms). */
  sentUntil?: number;
  /** The last pull request number used, per repository. */
  pullRequests: Record<string, number>;
  /** The scripted bad deploy, once it has started. */
  badDeploy?: BadDeployState;
}

/** How far the scripted bad deploy has got. */
export interface BadDeployState {
  /** When PR #812 went live (epoch ms). */
  at: number;
  sha: string;
  /** What checkout-api ran before, to roll back to. */
  previousSha: string;
  /** When the storefront paged its on-call. */
  pagedAt?: number;
  rolledBackAt?: number;
}

const TABLE = 'product_os_demo_state';

/**
 * Keeps the demo's state in the Product OS database, next to the data it describes: a fresh
 * database (or the e2e test's in-memory one) starts the demo from the beginning.
 */
export class DemoProgress {
  private constructor(private readonly knex: Knex) {}

  static async create(knex: Knex): Promise<DemoProgress> {
    if (!(await knex.schema.hasTable(TABLE))) {
      await knex.schema.createTable(TABLE, table => {
        table.string('key').primary();
        table.text('value').notNullable();
      });
    }
    return new DemoProgress(knex);
  }

  async load(): Promise<DemoState> {
    const row = await this.knex(TABLE).where({ key: 'state' }).first();
    return row ? JSON.parse(row.value) : { pullRequests: {} };
  }

  async save(state: DemoState): Promise<void> {
    await this.knex(TABLE)
      .insert({ key: 'state', value: JSON.stringify(state) })
      .onConflict('key')
      .merge();
  }
}
