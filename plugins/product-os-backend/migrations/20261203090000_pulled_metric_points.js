/*
 * An hour of a metric can now arrive two ways: pushed events (the capture endpoints add each one)
 * and a pull (the vendor's API gives its total for the hour). Adding them would count every event
 * an organisation sends to both twice, so an hour keeps the two apart and reads as the larger:
 * - `pushed_count`, `pushed_users`: the sum of pushed events and their distinct users, as
 *   `count` and `users` were until now.
 * - `pulled_count`, `pulled_users`: what the last pull of the hour set (null when none did).
 * - `count` and `users` stay what every read reads: the larger of the pushed and pulled values,
 *   kept by the writes, so no read changes.
 */

// @ts-check

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.alterTable('metric_points', table => {
    table.bigInteger('pushed_count').notNullable().defaultTo(0);
    table.integer('pushed_users').notNullable().defaultTo(0);
    table.bigInteger('pulled_count').nullable();
    table.integer('pulled_users').nullable();
  });
  // Every hour stored so far was pushed.
  await knex('metric_points').update({
    pushed_count: knex.ref('count'),
    pushed_users: knex.ref('users'),
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  // `count` and `users` keep the larger of the two, as the reads showed them.
  await knex.schema.alterTable('metric_points', table => {
    table.dropColumn('pushed_count');
    table.dropColumn('pushed_users');
    table.dropColumn('pulled_count');
    table.dropColumn('pulled_users');
  });
};
