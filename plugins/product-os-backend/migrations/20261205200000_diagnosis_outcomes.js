/*
 * What became of each diagnosis: whether the change it named was rolled back or reverted and the
 * trouble stopped then (verified), a person rejected it or the trouble behaved otherwise
 * (refuted), or nothing told within the deadline (inconclusive). One row per diagnosis, written
 * once; the confidence the built-in calibration gave its top suspect and whether that suspect
 * turned out to be the cause are what this installation's recalibration learns from.
 */

// @ts-check

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('diagnosis_outcomes', table => {
    table.comment('The outcome of a diagnosis, with the evidence for it');
    table.integer('diagnosis_id').unsigned().notNullable().primary();
    table
      .foreign('diagnosis_id')
      .references('diagnoses.id')
      .onDelete('CASCADE');
    table
      .string('outcome')
      .notNullable()
      .comment('verified, refuted or inconclusive');
    table
      .string('basis')
      .notNullable()
      .comment('What decided it, e.g. rolled_back_and_stopped');
    table
      .text('description')
      .notNullable()
      .comment('What happened, in words built from times and numbers only');
    table
      .integer('suspect_change_id')
      .comment(
        'The top suspect change the outcome is about, when there was one',
      );
    table
      .integer('fix_change_id')
      .comment('The rollback deployment or revert that undid it');
    table.bigInteger('fix_at').comment('When the undoing went live, epoch ms');
    table
      .bigInteger('stopped_at')
      .comment('When the trouble stopped, epoch ms');
    table.text('reason').comment("The reviewer's reason, for a rejection");
    table.string('decided_by').comment('Who rejected it, for a rejection');
    table
      .float('confidence')
      .notNullable()
      .comment('The top suspect confidence before any outcome recalibration');
    table
      .boolean('suspect_was_cause')
      .comment(
        'Whether the top suspect was the cause; null when the outcome does not say',
      );
    table.bigInteger('decided_at').notNullable().comment('Epoch ms');
    table.index(['decided_at']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('diagnosis_outcomes');
};
