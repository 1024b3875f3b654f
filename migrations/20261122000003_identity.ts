import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('organisations', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.text('name').notNullable();
    t.text('type').notNullable();
    // What the organisation owns: CBS municipality codes and operator ids.
    t.specificType('municipality_codes', 'text[]').notNullable().defaultTo('{}');
    t.specificType('operator_ids', 'text[]').notNullable().defaultTo('{}');
    t.jsonb('details').notNullable().defaultTo('{}');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`create unique index organisations_name_unique on organisations (lower(name))`);
  await knex.raw(
    `alter table organisations add constraint organisations_type_check
       check (type in ('MUNICIPALITY', 'OTHER_GOVERNMENT', 'OPERATOR', 'ADMIN', 'OTHER_COMPANY'))`,
  );

  await knex.schema.createTable('organisation_history', (t) => {
    t.bigIncrements('id');
    t.uuid('organisation_id').notNullable().references('organisations.id').onDelete('CASCADE');
    t.timestamp('changed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('changed_by').notNullable();
    t.jsonb('before');
    t.jsonb('after').notNullable();
    t.index(['organisation_id', 'changed_at']);
  });

  await knex.schema.createTable('users', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.text('email').notNullable();
    t.uuid('organisation_id').notNullable().references('organisations.id');
    t.specificType('privileges', 'text[]').notNullable().defaultTo('{}');
    t.boolean('active').notNullable().defaultTo(true);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['organisation_id']);
  });
  await knex.raw(`create unique index users_email_unique on users (lower(email))`);

  await knex.schema.createTable('data_access_grants', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('owner_organisation_id').notNullable().references('organisations.id');
    t.uuid('grantee_organisation_id').references('organisations.id');
    t.uuid('grantee_user_id').references('users.id');
    t.text('created_by').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('revoked_at', { useTz: true });
    t.text('revoked_by');
    t.index(['grantee_organisation_id']);
    t.index(['grantee_user_id']);
  });
  await knex.raw(
    `alter table data_access_grants add constraint data_access_grants_one_grantee
       check ((grantee_organisation_id is null) <> (grantee_user_id is null))`,
  );

  await knex.schema.createTable('api_keys', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    // Shown to the owner after creation; the secret itself is stored only as a SHA-256 hash.
    t.text('prefix').notNullable().unique();
    t.text('secret_hash').notNullable();
    t.text('name').notNullable();
    t.uuid('owner_user_id').notNullable().references('users.id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_used_at', { useTz: true });
    t.timestamp('expires_at', { useTz: true });
    t.timestamp('revoked_at', { useTz: true });
    t.index(['owner_user_id']);
  });

  await knex.schema.createTable('dashboards', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.text('name').notNullable();
    t.jsonb('widgets').notNullable().defaultTo('[]');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['user_id', 'name']);
  });

  await knex.schema.createTable('audit_log', (t) => {
    t.bigIncrements('id');
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('actor_type').notNullable();
    t.text('actor_id');
    t.uuid('actor_organisation_id');
    t.text('action').notNullable();
    t.text('target_type');
    t.text('target_id');
    t.jsonb('details').notNullable().defaultTo('{}');
    t.index(['at']);
    t.index(['actor_organisation_id', 'at']);
  });

  // Custom zones belong to an organisation and lie in a municipality: the scope filter uses both.
  await knex.schema.alterTable('zones', (t) => {
    t.text('municipality_code');
    t.uuid('owner_organisation_id').references('organisations.id');
    t.index(['municipality_code']);
  });
  await knex.raw(`update zones set municipality_code = code where kind = 'MUNICIPALITY'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('zones', (t) => {
    t.dropColumn('owner_organisation_id');
    t.dropColumn('municipality_code');
  });
  for (const table of [
    'audit_log',
    'dashboards',
    'api_keys',
    'data_access_grants',
    'users',
    'organisation_history',
    'organisations',
  ]) {
    await knex.schema.dropTable(table);
  }
}
