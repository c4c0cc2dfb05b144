/*
 * A daily snapshot per subject, `health_snapshots (subject_ref, day_start)`: the health score of
 * an entity (or the mean score of a group, system or domain's services) at the end of the UTC day,
 * the score's inputs and the DORA windows as of then, as JSON. The snapshot task writes today's
 * row every run and the missing ones of the last 90 days once, each an upsert on the key, so a
 * rerun or a second backend instance rewrites the same row instead of adding one.
 */

// @ts-check

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('health_snapshots', table => {
    table.comment(
      'Daily health score, its inputs and DORA figures per entity, group, system or domain',
    );
    table.string('subject_ref').notNullable();
    table.bigInteger('day_start').notNullable();
    // Null for a roll-up without services.
    table.double('score');
    table.text('inputs').notNullable().defaultTo('[]');
    table.text('dora').notNullable().defaultTo('[]');
    // How many services a roll-up was computed from (1 for an entity).
    table.integer('members').notNullable().defaultTo(1);
    table.bigInteger('computed_at').notNullable();
    table.primary(['subject_ref', 'day_start']);
    table.index(['day_start']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('health_snapshots');
};
