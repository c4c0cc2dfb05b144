import { Knex } from 'knex';
import type { SourceId } from '@internal/plugin-product-os-common';
import { columns } from '../columns';
import { num } from '../rowValues';
import { SqlDialect, sqlDialect } from '../sql';
import type { DeliveryStore, UnmappedDelivery } from './DeliveryStore';
import { toUnmappedDelivery } from './deliveryRows';

/** Distinct unmapped keys kept per source; later new keys are counted in {@link UNMAPPED_OVERFLOW_KEY}. */
export const DEFAULT_UNMAPPED_KEYS_PER_SOURCE = 1_000;
/** The row that counts a source's unmapped deliveries once its distinct keys are at the cap. */
export const UNMAPPED_OVERFLOW_KEY = '(other keys)';

/**
 * Claims a delivery id inside the ingest transaction `tx`: false when the source's delivery was
 * processed before, so it is not processed again.
 */
export async function claimDelivery(
  tx: Knex.Transaction,
  source: SourceId,
  deliveryId: string,
): Promise<boolean> {
  const claimed = await tx('deliveries')
    .insert({
      source: columns.deliveries.source.fit(source, 'source'),
      delivery_id: columns.deliveries.delivery_id.fit(
        deliveryId,
        'delivery id',
      ),
      received_at: Date.now(),
    })
    .onConflict(['source', 'delivery_id'])
    .ignore()
    .returning(['delivery_id']);
  return claimed.length > 0;
}

/** {@link DeliveryStore} on the plugin's knex database. */
export class DatabaseDeliveryStore implements DeliveryStore {
  private readonly sql: SqlDialect;

  constructor(
    private readonly knex: Knex,
    private readonly options: { unmappedKeysPerSource: number } = {
      unmappedKeysPerSource: DEFAULT_UNMAPPED_KEYS_PER_SOURCE,
    },
  ) {
    this.sql = sqlDialect(knex);
  }

  /**
   * Counts a delivery for a key no entity claims. A source keeps at most `unmappedKeysPerSource`
   * keys; once there, a new key is counted in the source's {@link UNMAPPED_OVERFLOW_KEY} row, so
   * random keys cannot grow the table (retention removes keys not seen for `rawDays`).
   */
  async recordUnmapped(
    source: SourceId,
    key: string,
    at: number,
  ): Promise<void> {
    const col = columns.unmapped_deliveries;
    const row = {
      source: col.source.fit(source, 'source'),
      key: col.key.fit(key, 'unmapped key'),
    };
    // A checked integer, so it can be written into the statement.
    const time = String(col.last_seen.fit(at, 'unmapped delivery time'));
    await this.knex.transaction(async tx => {
      const counted = await tx('unmapped_deliveries')
        .where(row)
        .update({
          count: tx.raw('count + 1'),
          first_seen: this.sql.least('first_seen', time),
          last_seen: this.sql.greatest('last_seen', time),
        });
      if (counted > 0) return;
      const [{ keys }] = await tx('unmapped_deliveries')
        .where({ source: row.source })
        .whereNot({ key: UNMAPPED_OVERFLOW_KEY })
        .count({ keys: '*' });
      const target =
        num(keys) < this.options.unmappedKeysPerSource
          ? row
          : { source: row.source, key: UNMAPPED_OVERFLOW_KEY };
      await tx('unmapped_deliveries')
        .insert({
          ...target,
          count: 1,
          first_seen: Number(time),
          last_seen: Number(time),
        })
        .onConflict(['source', 'key'])
        .merge({
          count: tx.raw('unmapped_deliveries.count + 1'),
          // Deliveries can arrive out of order.
          first_seen: this.sql.least(
            'unmapped_deliveries.first_seen',
            'excluded.first_seen',
          ),
          last_seen: this.sql.greatest(
            'unmapped_deliveries.last_seen',
            'excluded.last_seen',
          ),
        });
    });
  }

  async listUnmapped(
    page: { limit: number; offset: number } = { limit: 100, offset: 0 },
  ): Promise<UnmappedDelivery[]> {
    const rows = await this.knex('unmapped_deliveries')
      .orderBy([
        { column: 'last_seen', order: 'desc' },
        { column: 'source', order: 'asc' },
        { column: 'key', order: 'asc' },
      ])
      .limit(page.limit)
      .offset(page.offset);
    return rows.map(toUnmappedDelivery);
  }

  async countUnmapped(): Promise<number> {
    const [{ total }] = await this.knex('unmapped_deliveries').count({
      total: '*',
    });
    return num(total);
  }
}
