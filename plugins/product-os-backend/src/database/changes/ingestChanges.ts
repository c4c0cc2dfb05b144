import { Knex } from 'knex';
import type {
  ChangeEventInput,
  IngestWriter,
} from '@internal/plugin-product-os-node';
import { yieldToEventLoop } from '@internal/plugin-product-os-node';
import { fitChangeEvent } from '../fitInputs';

/** Rows per change-event statement: 15 parameters each, far under both engines' limits. */
const CHANGE_ROWS_PER_STATEMENT = 100;

/** The change writes of one delivery, inside the transaction `tx`. */
export class ChangeIngest implements Pick<IngestWriter, 'upsertChangeEvents'> {
  constructor(private readonly tx: Knex.Transaction) {}

  /*
   * Change events are upserted in multi-row statements of at most CHANGE_ROWS_PER_STATEMENT
   * rows, with a turn of the event loop between statements: a push of 2,048 commits is some 20
   * statements instead of 2,048, and never holds the loop for all of them (SQLite's driver is
   * synchronous). The rows keep their order. A statement holds only rows that update the same
   * columns on a conflict, and no key twice (PostgreSQL refuses to update a row twice in one
   * statement), so every row has the effect it had written alone.
   */
  async upsertChangeEvents(input: ChangeEventInput[]): Promise<void> {
    let run: ChangeEventInput[] = [];
    let runColumns = '';
    const runKeys = new Set<string>();
    let written = 0;
    const flush = async () => {
      if (run.length === 0) return;
      if (written > 0) await yieldToEventLoop();
      await this.writeChangeEvents(run, runColumns.split(','));
      written += run.length;
      run = [];
      runKeys.clear();
    };
    for (const change of input) {
      const fitted = fitChangeEvent(change);
      const columns = changeMergeColumns(fitted).join(',');
      const key = JSON.stringify([
        fitted.entityRef,
        fitted.source,
        fitted.kind,
        fitted.externalId,
      ]);
      if (
        columns !== runColumns ||
        runKeys.has(key) ||
        run.length >= CHANGE_ROWS_PER_STATEMENT
      ) {
        await flush();
        runColumns = columns;
      }
      run.push(fitted);
      runKeys.add(key);
    }
    await flush();
  }

  private async writeChangeEvents(
    changes: ChangeEventInput[],
    mergeColumns: string[],
  ) {
    await this.tx('change_events')
      .insert(
        changes.map(change => ({
          entity_ref: change.entityRef,
          source: change.source,
          kind: change.kind,
          external_id: change.externalId,
          title: change.title,
          author: change.author ?? null,
          sha: change.sha ?? null,
          number: change.number ?? null,
          environment: change.environment ?? null,
          status: change.status ?? null,
          url: change.url ?? null,
          occurred_at: change.occurredAt,
          finished_at: change.finishedAt ?? null,
          files: JSON.stringify(change.files ?? []),
          first_commit_at: change.firstCommitAt ?? null,
        })),
      )
      .onConflict(['entity_ref', 'source', 'kind', 'external_id'])
      // Each merged column takes the value the row brought (`excluded`).
      .merge(mergeColumns);
  }
}

/**
 * The columns a reported change overwrites when it is stored already. A later report (a
 * deployment status, a merge) completes what an earlier one started; fields it does not carry
 * keep their stored values. The time is always carried, and a merge moves a pull request's to
 * the merge.
 */
function changeMergeColumns(change: ChangeEventInput): string[] {
  const columns = ['title', 'occurred_at'];
  if (change.author !== undefined) columns.push('author');
  if (change.sha !== undefined) columns.push('sha');
  if (change.number !== undefined) columns.push('number');
  if (change.environment !== undefined) columns.push('environment');
  if (change.status !== undefined) columns.push('status');
  if (change.url !== undefined) columns.push('url');
  if (change.finishedAt !== undefined) columns.push('finished_at');
  if (change.files !== undefined) columns.push('files');
  if (change.firstCommitAt !== undefined) columns.push('first_commit_at');
  return columns;
}
