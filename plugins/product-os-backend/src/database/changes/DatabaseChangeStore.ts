import { Knex } from 'knex';
import type { ChangeEvent } from '@internal/plugin-product-os-common';
import type { ChangeQuery, ChangeStore } from './ChangeStore';
import { toChangeEvent } from './changeRows';

/** {@link ChangeStore} on the plugin's knex database. */
export class DatabaseChangeStore implements ChangeStore {
  constructor(private readonly knex: Knex) {}

  async getChangeEvents(
    entityRef: string,
    query: ChangeQuery,
  ): Promise<ChangeEvent[]> {
    return this.getChangeEventsForEntities([entityRef], query);
  }

  async getChangeEventsForEntities(
    entityRefs: string[],
    query: ChangeQuery,
  ): Promise<ChangeEvent[]> {
    if (entityRefs.length === 0) return [];
    const builder = this.knex('change_events')
      .whereIn('entity_ref', entityRefs)
      .where('occurred_at', '>=', query.from)
      .where('occurred_at', '<', query.to)
      .orderBy([
        { column: 'occurred_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ]);
    if (query.kinds?.length) builder.whereIn('kind', query.kinds);
    if (query.limit) builder.limit(query.limit);
    const rows = await builder;
    return rows.map(toChangeEvent);
  }
}
