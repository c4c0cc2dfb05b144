/*
 * An hour of an error group keeps the events pushed to it and the count a pull from the source's
 * API reported, apart: `error_buckets.pushed` (events recorded one by one, as `count` was so far)
 * and `error_buckets.pulled` (the largest count any pull reported for the hour; null when none
 * did). `count` stays the value every read sums, now the larger of the two, so an event that
 * arrives both by webhook and by pull is counted once, whichever comes first.
 */

// @ts-check

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.alterTable('error_buckets', table => {
    table.integer('pushed').notNullable().defaultTo(0);
    table.integer('pulled');
  });
  // Until now every counted event was pushed.
  await knex('error_buckets').update({ pushed: knex.ref('count') });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('error_buckets', table => {
    table.dropColumn('pulled');
    table.dropColumn('pushed');
  });
};
