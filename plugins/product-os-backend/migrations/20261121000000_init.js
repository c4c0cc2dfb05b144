/*
 * The Product OS data model. Every row belongs to a catalog entity (`entity_ref`), every time is
 * epoch milliseconds (a bigint, the same on SQLite and PostgreSQL), and every record that comes
 * from outside is unique on the id its source gave it, so that writing it twice keeps one row.
 */

// @ts-check

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('error_groups', table => {
    table.comment('Errors grouped by fingerprint, per entity and source');
    table.increments('id');
    table.string('entity_ref').notNullable();
    table.string('source').notNullable();
    table.string('fingerprint', 512).notNullable();
    table.text('title').notNullable();
    table.text('culprit');
    table.string('level').notNullable().defaultTo('error');
    table.string('status').notNullable().defaultTo('unresolved');
    table.bigInteger('first_seen').notNullable();
    table.bigInteger('last_seen').notNullable();
    table.string('first_release');
    table.bigInteger('resolved_at');
    table.bigInteger('regressed_at');
    table.text('top_frames').notNullable().defaultTo('[]');
    table.text('permalink');
    table.bigInteger('event_count').notNullable().defaultTo(0);
    table.unique(['entity_ref', 'source', 'fingerprint']);
    table.index(['entity_ref', 'last_seen']);
  });

  await knex.schema.createTable('error_buckets', table => {
    table.comment('Hourly event counts of an error group');
    table.integer('group_id').unsigned().notNullable();
    table.foreign('group_id').references('error_groups.id').onDelete('CASCADE');
    table.bigInteger('bucket_start').notNullable();
    table.integer('count').notNullable().defaultTo(0);
    table.integer('users').notNullable().defaultTo(0);
    table.primary(['group_id', 'bucket_start']);
    table.index(['bucket_start']);
  });

  await knex.schema.createTable('error_events', table => {
    table.comment('A bounded sample of raw events per group (the newest N)');
    table.increments('id');
    table.integer('group_id').unsigned().notNullable();
    table.foreign('group_id').references('error_groups.id').onDelete('CASCADE');
    table.string('source').notNullable();
    table.string('event_id').notNullable();
    table.bigInteger('timestamp').notNullable();
    table.string('release');
    table.string('environment');
    table.text('payload');
    table.unique(['source', 'event_id']);
    table.index(['group_id', 'timestamp']);
  });

  await knex.schema.createTable('error_users', table => {
    table.comment(
      'Hashed user keys per group and hour, only to count affected users; pruned with the raw samples',
    );
    table.integer('group_id').unsigned().notNullable();
    table.foreign('group_id').references('error_groups.id').onDelete('CASCADE');
    table.bigInteger('bucket_start').notNullable();
    table.string('user_key', 64).notNullable();
    table.primary(['group_id', 'bucket_start', 'user_key']);
    table.index(['bucket_start']);
  });

  await knex.schema.createTable('error_event_ids', table => {
    table.comment(
      'Ids of every event counted into a bucket, so a resent event is not counted twice; pruned with the buckets',
    );
    table.string('source').notNullable();
    table.string('event_id').notNullable();
    table.bigInteger('received_at').notNullable();
    table.primary(['source', 'event_id']);
    table.index(['received_at']);
  });

  await knex.schema.createTable('change_events', table => {
    table.comment(
      'Commits, pull requests, deployments, releases and change events',
    );
    table.increments('id');
    table.string('entity_ref').notNullable();
    table.string('source').notNullable();
    table.string('kind').notNullable();
    table.string('external_id').notNullable();
    table.text('title').notNullable();
    table.string('author');
    table.string('sha');
    table.integer('number');
    table.string('environment');
    table.string('status');
    table.text('url');
    table.bigInteger('occurred_at').notNullable();
    table.bigInteger('finished_at');
    table.text('files').notNullable().defaultTo('[]');
    table.unique(['entity_ref', 'source', 'kind', 'external_id']);
    table.index(['entity_ref', 'occurred_at']);
  });

  await knex.schema.createTable('incidents', table => {
    table.increments('id');
    table.string('entity_ref').notNullable();
    table.string('source').notNullable();
    table.string('external_id').notNullable();
    table.text('title').notNullable();
    table.string('urgency');
    table.string('priority');
    table.string('status').notNullable();
    table.bigInteger('created_at').notNullable();
    table.bigInteger('acknowledged_at');
    table.bigInteger('resolved_at');
    table.text('assignees').notNullable().defaultTo('[]');
    table.text('url');
    table.unique(['entity_ref', 'source', 'external_id']);
    table.index(['entity_ref', 'created_at']);
  });

  await knex.schema.createTable('incident_events', table => {
    // knex does not escape quotes in comments, and PostgreSQL rejects an unbalanced one.
    table.comment('The timeline of an incident');
    table.increments('id');
    table.integer('incident_id').unsigned().notNullable();
    table.foreign('incident_id').references('incidents.id').onDelete('CASCADE');
    table.string('external_id').notNullable();
    table.string('type').notNullable();
    table.text('message').notNullable();
    table.string('actor');
    table.bigInteger('occurred_at').notNullable();
    table.unique(['incident_id', 'external_id']);
  });

  await knex.schema.createTable('metric_points', table => {
    table.comment('Hourly product-analytics counts per metric');
    table.string('entity_ref').notNullable();
    table.string('metric').notNullable();
    table.bigInteger('bucket_start').notNullable();
    table.bigInteger('count').notNullable().defaultTo(0);
    table.integer('users').notNullable().defaultTo(0);
    table.primary(['entity_ref', 'metric', 'bucket_start']);
    table.index(['bucket_start']);
  });

  await knex.schema.createTable('metric_users', table => {
    table.comment(
      'Hashed user keys seen per metric and hour, only to count distinct users; pruned with the raw samples',
    );
    table.string('entity_ref').notNullable();
    table.string('metric').notNullable();
    table.bigInteger('bucket_start').notNullable();
    table.string('user_key', 64).notNullable();
    table.primary(['entity_ref', 'metric', 'bucket_start', 'user_key']);
    table.index(['bucket_start']);
  });

  await knex.schema.createTable('anomalies', table => {
    table.increments('id');
    table.string('entity_ref').notNullable();
    table.text('kinds').notNullable();
    table.bigInteger('onset_at').notNullable();
    table.bigInteger('detected_at').notNullable();
    table.double('magnitude').notNullable();
    table.double('score').notNullable();
    table.string('status').notNullable().defaultTo('open');
    table.text('details').notNullable().defaultTo('{}');
    table.index(['entity_ref', 'onset_at']);
  });

  await knex.schema.createTable('diagnoses', table => {
    table.increments('id');
    table.string('entity_ref').notNullable();
    table.integer('anomaly_id').unsigned();
    table.foreign('anomaly_id').references('anomalies.id').onDelete('SET NULL');
    table.text('summary').notNullable();
    table.double('confidence').notNullable();
    table.string('status').notNullable().defaultTo('open');
    table.string('actionability').notNullable();
    table.text('next_step');
    table.text('reviewers').notNullable().defaultTo('[]');
    table.text('impact').notNullable().defaultTo('{}');
    table.text('feedback');
    table.string('feedback_by');
    table.bigInteger('created_at').notNullable();
    table.bigInteger('updated_at').notNullable();
    table.index(['entity_ref', 'created_at']);
    table.index(['status', 'actionability']);
  });

  await knex.schema.createTable('diagnosis_suspects', table => {
    table.increments('id');
    table.integer('diagnosis_id').unsigned().notNullable();
    table
      .foreign('diagnosis_id')
      .references('diagnoses.id')
      .onDelete('CASCADE');
    table.integer('change_event_id').unsigned().notNullable();
    table
      .foreign('change_event_id')
      .references('change_events.id')
      .onDelete('CASCADE');
    table.integer('rank').notNullable();
    table.double('score').notNullable();
    table.double('confidence').notNullable();
    table.unique(['diagnosis_id', 'rank']);
  });

  await knex.schema.createTable('diagnosis_evidence', table => {
    table.increments('id');
    table.integer('diagnosis_id').unsigned().notNullable();
    table
      .foreign('diagnosis_id')
      .references('diagnoses.id')
      .onDelete('CASCADE');
    table.integer('suspect_id').unsigned();
    table
      .foreign('suspect_id')
      .references('diagnosis_suspects.id')
      .onDelete('CASCADE');
    table.string('kind').notNullable();
    table.text('description').notNullable();
    table.double('weight').notNullable().defaultTo(0);
    table.text('url');
    table.index(['diagnosis_id']);
  });

  await knex.schema.createTable('sync_state', table => {
    table.comment('Where each pull sync left off');
    table.string('source').notNullable();
    table.string('scope').notNullable();
    table.text('cursor');
    table.bigInteger('last_success_at');
    table.text('last_error');
    table.bigInteger('last_error_at');
    table.primary(['source', 'scope']);
  });

  await knex.schema.createTable('deliveries', table => {
    table.comment(
      'Processed webhook deliveries, so a redelivery is not processed twice',
    );
    table.string('source').notNullable();
    table.string('delivery_id').notNullable();
    table.bigInteger('received_at').notNullable();
    table.primary(['source', 'delivery_id']);
    table.index(['received_at']);
  });

  await knex.schema.createTable('unmapped_deliveries', table => {
    table.comment(
      'Deliveries no catalog entity claims, counted per source key',
    );
    table.string('source').notNullable();
    table.string('key').notNullable();
    table.bigInteger('count').notNullable().defaultTo(0);
    table.bigInteger('first_seen').notNullable();
    table.bigInteger('last_seen').notNullable();
    table.primary(['source', 'key']);
  });

  await knex.schema.createTable('audit_log', table => {
    table.comment('Every write to an outside system, and who approved it');
    table.increments('id');
    table.bigInteger('at').notNullable();
    table.string('actor').notNullable();
    table.string('action').notNullable();
    table.text('target').notNullable();
    table.integer('diagnosis_id').unsigned();
    table.text('request').notNullable();
    table.string('outcome').notNullable();
    table.text('result');
    table.index(['at']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  for (const table of [
    'audit_log',
    'unmapped_deliveries',
    'deliveries',
    'sync_state',
    'diagnosis_evidence',
    'diagnosis_suspects',
    'diagnoses',
    'anomalies',
    'metric_users',
    'metric_points',
    'incident_events',
    'incidents',
    'change_events',
    'error_event_ids',
    'error_users',
    'error_events',
    'error_buckets',
    'error_groups',
  ]) {
    await knex.schema.dropTable(table);
  }
};
