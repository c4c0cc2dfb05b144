/*
 * What the diagnosis agent keeps beyond the initial model: a row per watched entity (which also
 * serializes concurrent runs of the agent for that entity, across backend instances), the
 * entity's owner and the verdict on each diagnosis, computed facts on evidence, and the history
 * of every status change with the reason a person gave.
 */

// @ts-check

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('agent_entities', table => {
    table.comment(
      // No apostrophes: knex does not escape quotes in comments, and PostgreSQL rejects them.
      'State of the diagnosis agent per entity; writers lock this row so two instances never record the same anomaly twice',
    );
    table.string('entity_ref').notNullable().primary();
    table.bigInteger('evaluated_at').notNullable();
  });

  await knex.schema.alterTable('anomalies', table => {
    table.bigInteger('updated_at');
  });

  await knex.schema.alterTable('diagnoses', table => {
    table.string('owner');
    table.string('verdict').notNullable().defaultTo('suspect');
    table.string('created_by').notNullable().defaultTo('agent');
    table.index(['owner']);
    table.index(['anomaly_id']);
  });

  await knex.schema.alterTable('diagnosis_evidence', table => {
    table.text('facts').notNullable().defaultTo('{}');
  });

  await knex.schema.createTable('diagnosis_feedback', table => {
    table.comment('Every status change of a diagnosis, who made it and why');
    table.increments('id');
    table.integer('diagnosis_id').unsigned().notNullable();
    table
      .foreign('diagnosis_id')
      .references('diagnoses.id')
      .onDelete('CASCADE');
    table.string('from_status').notNullable();
    table.string('to_status').notNullable();
    table.text('reason');
    table.string('by').notNullable();
    table.bigInteger('at').notNullable();
    table.index(['diagnosis_id']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('diagnosis_feedback');
  await knex.schema.alterTable('diagnosis_evidence', table => {
    table.dropColumn('facts');
  });
  await knex.schema.alterTable('diagnoses', table => {
    table.dropIndex(['owner']);
    table.dropIndex(['anomaly_id']);
    table.dropColumn('owner');
    table.dropColumn('verdict');
    table.dropColumn('created_by');
  });
  await knex.schema.alterTable('anomalies', table => {
    table.dropColumn('updated_at');
  });
  await knex.schema.dropTable('agent_entities');
};
