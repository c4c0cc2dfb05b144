/*
 * Two guarantees of the read and action side:
 * - `diagnoses.redactable`: the summary, next step and reviewers of a diagnosis as parts, each
 *   tagged with the entity it tells about, so a reader who may not see that entity gets the text
 *   rendered without it (the stored summary may be narrated, and quotes the suspect).
 * - `audit_log.preview_token`: unique, claimed before a write to GitHub, so a confirmed preview
 *   is written at most once, across restarts and backend instances.
 */

// @ts-check

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.alterTable('diagnoses', table => {
    table.text('redactable');
  });
  await knex.schema.alterTable('audit_log', table => {
    table.string('preview_token', 64);
    table.unique(['preview_token'], {
      indexName: 'audit_log_preview_token_unique',
    });
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('audit_log', table => {
    table.dropUnique(['preview_token'], 'audit_log_preview_token_unique');
    table.dropColumn('preview_token');
  });
  await knex.schema.alterTable('diagnoses', table => {
    table.dropColumn('redactable');
  });
};
