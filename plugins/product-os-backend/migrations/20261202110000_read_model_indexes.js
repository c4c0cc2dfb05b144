/*
 * Indexes shaped like the read model's queries (src/database/readModel/), so a read costs what
 * it shows, not what is stored:
 * - `error_buckets (group_id, bucket_start, count)`, on SQLite: an entity's window of hourly
 *   counts is summed from the index alone, without visiting a table row per bucket. Not on
 *   PostgreSQL: every event increments its bucket's `count`, and an indexed `count` would make
 *   each of those updates write every index of the table (no heap-only update), while an
 *   index-only scan there needs pages a vacuum has marked all-visible, which busy buckets rarely
 *   are.
 * - `change_events (entity_ref, kind, occurred_at)`: deployments (and the timeline's kinds) of a
 *   window without walking past every commit in it.
 * - `diagnoses (entity_ref, status, actionability)`: open diagnoses per entity, and those that
 *   wait for a person, counted from the index.
 */

// @ts-check

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  if (isSqlite(knex)) {
    await knex.schema.alterTable('error_buckets', table => {
      table.index(
        ['group_id', 'bucket_start', 'count'],
        'error_buckets_group_window_count_index',
      );
    });
  }
  await knex.schema.alterTable('change_events', table => {
    table.index(
      ['entity_ref', 'kind', 'occurred_at'],
      'change_events_entity_kind_occurred_index',
    );
  });
  await knex.schema.alterTable('diagnoses', table => {
    table.index(
      ['entity_ref', 'status', 'actionability'],
      'diagnoses_entity_status_actionability_index',
    );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('diagnoses', table => {
    table.dropIndex(
      ['entity_ref', 'status', 'actionability'],
      'diagnoses_entity_status_actionability_index',
    );
  });
  await knex.schema.alterTable('change_events', table => {
    table.dropIndex(
      ['entity_ref', 'kind', 'occurred_at'],
      'change_events_entity_kind_occurred_index',
    );
  });
  if (isSqlite(knex)) {
    await knex.schema.alterTable('error_buckets', table => {
      table.dropIndex(
        ['group_id', 'bucket_start', 'count'],
        'error_buckets_group_window_count_index',
      );
    });
  }
};

/** @param {import('knex').Knex} knex */
function isSqlite(knex) {
  return String(knex.client.config.client).includes('sqlite');
}
