/*
 * The sync state of a pull's scope also keeps what the entity page shows of its last run: the
 * items the last successful pull wrote and how long the last attempt took.
 */

// @ts-check

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.alterTable('sync_state', table => {
    table.integer('items').comment('Items the last successful pull wrote');
    table
      .integer('duration_ms')
      .comment('How long the last attempt took, milliseconds');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('sync_state', table => {
    table.dropColumn('items');
    table.dropColumn('duration_ms');
  });
};
