/*
 * The versions of each diagnosis: the agent rewrites an open diagnosis in place as its evidence
 * grows (a new error's first events, then more of them, a dependency's errors arriving later),
 * and keeps here when what it said changed (verdict, actionability, confidence, top suspect), so
 * the case file and the timeline show how it got to what it says now.
 */

// @ts-check

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('diagnosis_revisions', table => {
    table.comment(
      'Each version of a diagnosis the agent wrote: when, and what it concluded',
    );
    table.increments('id');
    table.integer('diagnosis_id').unsigned().notNullable();
    table
      .foreign('diagnosis_id')
      .references('diagnoses.id')
      .onDelete('CASCADE');
    table.bigInteger('at').notNullable().comment('Epoch ms');
    table.string('verdict').notNullable();
    table.string('actionability').notNullable();
    table.float('confidence').notNullable();
    table
      .integer('change_event_id')
      .comment('The top suspect change, when there was one');
    table.index(['diagnosis_id']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('diagnosis_revisions');
};
