/*
 * When a merged pull request's first commit was made: DORA's lead time for changes runs from it
 * to the production deployment that shipped the pull request. The GitHub pull reads it with the
 * pull request's files; a webhook delivery does not carry it and leaves it as stored.
 */

// @ts-check

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.alterTable('change_events', table => {
    table
      .bigInteger('first_commit_at')
      .comment("A merged pull request's first commit, epoch ms");
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('change_events', table => {
    table.dropColumn('first_commit_at');
  });
};
