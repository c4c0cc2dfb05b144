import { Knex } from 'knex';
import type { SourceId } from '@internal/plugin-product-os-common';
import type {
  IngestOptions,
  IngestWriter,
  ProductOsIngestStore,
  SyncState,
  SyncStateUpdate,
} from '@internal/plugin-product-os-node';
import { claimDelivery } from '../deliveries/DatabaseDeliveryStore';
import type { DeliveryStore } from '../deliveries/DeliveryStore';
import { sqlDialect, SqlDialect } from '../sql';
import type { SyncStore } from '../sync/SyncStore';
import { IngestTransaction } from './IngestTransaction';
import { OutageGuard } from './OutageGuard';

/**
 * What source modules write through ({@link ProductOsIngestStore}): one transaction per delivery,
 * the unmapped count and the sync cursor. The writes a sender waits for answer 503 while the
 * database cannot be reached.
 */
export class DatabaseIngestStore implements ProductOsIngestStore {
  private readonly sql: SqlDialect;

  constructor(
    private readonly knex: Knex,
    private readonly parts: {
      deliveries: Pick<DeliveryStore, 'recordUnmapped'>;
      sync: SyncStore;
      guard: OutageGuard;
      /** How many raw events to keep per error group. */
      sampleSize: number;
      /** Awaited before each delivery's transaction begins (SQLite: the log's checkpoint). */
      beforeWrite?: () => Promise<void>;
    },
  ) {
    this.sql = sqlDialect(knex);
  }

  async ingest<T>(
    options: IngestOptions,
    write: (writer: IngestWriter) => Promise<T>,
  ): Promise<{ duplicate: boolean; result?: T }> {
    await this.parts.beforeWrite?.();
    return this.parts.guard.run(() =>
      this.knex.transaction(async tx => {
        if (
          options.deliveryId !== undefined &&
          !(await claimDelivery(tx, options.source, options.deliveryId))
        )
          return { duplicate: true };
        const result = await write(
          new IngestTransaction(tx, this.sql, this.parts.sampleSize),
        );
        return { duplicate: false, result };
      }),
    );
  }

  async recordUnmapped(
    source: SourceId,
    key: string,
    at: number,
  ): Promise<void> {
    await this.parts.guard.run(() =>
      this.parts.deliveries.recordUnmapped(source, key, at),
    );
  }

  getSyncState(
    source: SourceId,
    scope: string,
  ): Promise<SyncState | undefined> {
    return this.parts.sync.getSyncState(source, scope);
  }

  saveSyncState(state: SyncStateUpdate): Promise<void> {
    return this.parts.sync.saveSyncState(state);
  }
}
