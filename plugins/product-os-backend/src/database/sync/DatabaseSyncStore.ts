import { Knex } from 'knex';
import type { SourceId } from '@internal/plugin-product-os-common';
import type {
  SyncState,
  SyncStateUpdate,
} from '@internal/plugin-product-os-node';
import type { SyncStore } from './SyncStore';
import { toSyncState } from './syncRows';

/** {@link SyncStore} on the plugin's knex database. */
export class DatabaseSyncStore implements SyncStore {
  constructor(private readonly knex: Knex) {}

  async getSyncState(
    source: SourceId,
    scope: string,
  ): Promise<SyncState | undefined> {
    const row = await this.knex('sync_state').where({ source, scope }).first();
    return row ? toSyncState(row) : undefined;
  }

  async getSyncStates(
    source: SourceId,
    scopes: string[],
  ): Promise<SyncState[]> {
    if (scopes.length === 0) return [];
    const rows = await this.knex('sync_state')
      .where({ source })
      .whereIn('scope', scopes);
    return rows.map(toSyncState);
  }

  async saveSyncState(state: SyncStateUpdate): Promise<void> {
    const patch =
      'error' in state
        ? {
            last_error: state.error,
            last_error_at: state.at,
            ...(state.durationMs !== undefined && {
              duration_ms: Math.round(state.durationMs),
            }),
          }
        : {
            last_success_at: state.at,
            last_error: null,
            ...(state.cursor !== undefined && { cursor: state.cursor }),
            ...(state.items !== undefined && {
              items: Math.min(state.items, 2 ** 31 - 1),
            }),
            ...(state.durationMs !== undefined && {
              duration_ms: Math.round(state.durationMs),
            }),
          };
    await this.knex('sync_state')
      .insert({ source: state.source, scope: state.scope, ...patch })
      .onConflict(['source', 'scope'])
      .merge(patch);
  }
}
