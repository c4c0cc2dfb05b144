/*
 * Daily error counts per group, `error_days (group_id, day_start, count)`, kept beside the hourly
 * `error_buckets` by every write of them (ingestion adds to both; retention recounts the day it
 * cuts into), so that a window of days reads one row per group and whole day instead of 24: a
 * 90-day window 90 rows per group rather than 2,160. A day's row is the sum of that group's hourly
 * buckets starting in the UTC day, and exists exactly when one of them does. Hourly distinct
 * users are not rolled up: distinct counts do not add.
 * - On SQLite, like the hourly buckets, an index that includes `count` lets a window be summed
 *   from the index alone; not on PostgreSQL, where it would stop an increment from being a
 *   heap-only update.
 * - Existing buckets are rolled up here, in one statement.
 */

// @ts-check

const DAY_MS = 86_400_000;

/** @param {import('knex').Knex} knex */
function isSqlite(knex) {
  return String(knex.client.config.client).includes('sqlite');
}

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('error_days', table => {
    table.comment(
      'Daily event counts of an error group (sums of its hourly buckets)',
    );
    table.integer('group_id').unsigned().notNullable();
    table.foreign('group_id').references('error_groups.id').onDelete('CASCADE');
    table.bigInteger('day_start').notNullable();
    // A day holds 24 hourly counts, each up to an `integer`.
    table.bigInteger('count').notNullable().defaultTo(0);
    table.primary(['group_id', 'day_start']);
  });
  if (isSqlite(knex)) {
    await knex.schema.alterTable('error_days', table => {
      table.index(
        ['group_id', 'day_start', 'count'],
        'error_days_group_window_count_index',
      );
    });
  }
  // The day as a literal: PostgreSQL groups by the selected expression only when it is the same
  // text (two parameters would not be).
  await knex.raw(
    `INSERT INTO error_days (group_id, day_start, count)
     SELECT group_id, bucket_start - bucket_start % ${DAY_MS}, SUM(count)
     FROM error_buckets
     GROUP BY group_id, bucket_start - bucket_start % ${DAY_MS}`,
  );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('error_days');
};
