/*
 * The raw samples of an error group become a fixed ring of slots, updated in place:
 * `error_events.slot` (0 … N-1, unique per group). Keeping the newest N events by inserting
 * every event and deleting the ones past N left PostgreSQL with dead rows many times the live
 * ones (956k beside 25k, 1.66 GB) and ingestion slowed until a VACUUM; now the table holds at
 * most groups × N rows and an event replaces the oldest sample's row.
 * - The indexes on `(source, event_id)` and `(group_id, timestamp)` go: event ids are claimed in
 *   `error_event_ids`, and a group's samples are found by `(group_id, slot)`, at most N rows. With
 *   no index on the columns an event replaces, PostgreSQL can update a slot as a HOT update,
 *   reusing space in the page without waiting for VACUUM; a lower fillfactor leaves that space.
 * - On SQLite a row's columns after its payload are read through the payload's overflow pages,
 *   and `slot` is the last column: an index `(group_id, slot, timestamp)` answers the read of a
 *   group's slots without touching the rows. PostgreSQL keeps payloads out of line and gets no
 *   such index, which would stop its updates from being HOT.
 * - Existing samples keep their rows: each group's are numbered oldest first.
 */

// @ts-check

/** @param {import('knex').Knex} knex */
function isPg(knex) {
  const client = String(knex.client.config.client);
  return client === 'pg' || client === 'postgres' || client === 'postgresql';
}

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.alterTable('error_events', table => {
    // Nullable only because SQLite cannot add a NOT NULL column without a default; ingestion
    // always writes it.
    table.integer('slot');
  });
  await knex.raw(`
    UPDATE error_events SET slot = numbered.slot
    FROM (
      SELECT id, ROW_NUMBER() OVER (PARTITION BY group_id ORDER BY timestamp, id) - 1 AS slot
      FROM error_events
    ) AS numbered
    WHERE numbered.id = error_events.id`);
  await knex.schema.alterTable('error_events', table => {
    table.dropUnique(['source', 'event_id']);
    table.dropIndex(['group_id', 'timestamp']);
    table.unique(['group_id', 'slot'], {
      indexName: 'error_events_group_slot_unique',
    });
  });
  if (isPg(knex)) {
    await knex.raw('ALTER TABLE error_events SET (fillfactor = 70)');
  } else {
    await knex.schema.alterTable('error_events', table => {
      table.index(
        ['group_id', 'slot', 'timestamp'],
        'error_events_group_slot_timestamp_index',
      );
    });
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  if (isPg(knex)) {
    await knex.raw('ALTER TABLE error_events RESET (fillfactor)');
  } else {
    await knex.schema.alterTable('error_events', table => {
      table.dropIndex(
        ['group_id', 'slot', 'timestamp'],
        'error_events_group_slot_timestamp_index',
      );
    });
  }
  await knex.schema.alterTable('error_events', table => {
    table.dropUnique(['group_id', 'slot'], 'error_events_group_slot_unique');
    table.index(['group_id', 'timestamp']);
    table.unique(['source', 'event_id']);
  });
  await knex.schema.alterTable('error_events', table => {
    table.dropColumn('slot');
  });
};
