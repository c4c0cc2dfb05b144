import type { SyncState } from '@internal/plugin-product-os-node';
import { num, opt, Row } from '../rowValues';

export function toSyncState(row: Row): SyncState {
  return {
    source: row.source,
    scope: row.scope,
    cursor: opt(row.cursor),
    lastSuccessAt:
      row.last_success_at === null ? undefined : num(row.last_success_at),
    lastError: opt(row.last_error),
    lastErrorAt:
      row.last_error_at === null ? undefined : num(row.last_error_at),
    items: row.items === null ? undefined : num(row.items),
    durationMs: row.duration_ms === null ? undefined : num(row.duration_ms),
  };
}
