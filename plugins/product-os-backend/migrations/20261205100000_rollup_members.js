/*
 * What a roll-up read needs from the snapshot task's last run, so it reads a team's figures in a
 * fixed number of statements whatever the team's size:
 * - `rollup_members (subject_ref, member_ref)`: the services each group (with its sub-groups),
 *   system and domain counted at that run. A read compares them with the services the caller sees
 *   (the stored roll-up row, its DORA and its history, are only served when they are the same)
 *   and joins them with their members' snapshots of the day.
 * - `health_snapshots.deployments` and `.incidents`: production deployments finished and
 *   incidents created in the 7 days the day's health score covers (a roll-up's row: its
 *   members' sums). Null on rows written before them: such a row is not served as today's.
 */

// @ts-check

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('rollup_members', table => {
    table.comment(
      'The services each group, system and domain rolled up at the last snapshot run',
    );
    table.string('subject_ref').notNullable();
    table.string('member_ref').notNullable();
    table.primary(['subject_ref', 'member_ref']);
  });
  await knex.schema.alterTable('health_snapshots', table => {
    table.integer('deployments');
    table.integer('incidents');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('health_snapshots', table => {
    table.dropColumn('incidents');
    table.dropColumn('deployments');
  });
  await knex.schema.dropTable('rollup_members');
};
