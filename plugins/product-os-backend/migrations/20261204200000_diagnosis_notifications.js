/*
 * What Product OS last sent the owners of an entity about each case (one Backstage notification
 * per scope), so a diagnosis rewritten with the same words does not mark the notification unread
 * again, and a case that was never worth a notification does not get one when it is resolved.
 */

// @ts-check

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('diagnosis_notifications', table => {
    table.comment('The last Backstage notification sent per case (scope)');
    table
      .string('scope', 512)
      .primary()
      .comment('The notification scope: product-os:<entityRef>:anomaly:<id>');
    table.string('entity_ref', 255).notNullable();
    table
      .integer('diagnosis_id')
      .notNullable()
      .comment('The diagnosis the last notification described');
    table
      .string('digest', 64)
      .notNullable()
      .comment('SHA-256 of the title, description, link and severity sent');
    table.string('severity', 16).notNullable();
    table.bigInteger('sent_at').notNullable().comment('Epoch ms');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('diagnosis_notifications');
};
