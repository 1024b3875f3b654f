import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Schedules live in the database so they can be changed at runtime; each row is claimed per tick
  // by exactly one runner (see jobs/scheduler.ts).
  await knex.schema.createTable('job_schedules', (t) => {
    t.text('name').primary();
    t.text('task').notNullable();
    t.integer('interval_ms').notNullable();
    t.boolean('enabled').notNullable().defaultTo(true);
    t.jsonb('payload').notNullable().defaultTo('{}');
    t.integer('max_attempts').notNullable().defaultTo(3);
    t.timestamp('next_run_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_tick_at', { useTz: true });
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(
    'alter table job_schedules add constraint job_schedules_interval_check check (interval_ms >= 100)',
  );

  // One row per attempt of a job: the run history.
  await knex.schema.createTable('job_runs', (t) => {
    t.bigIncrements('id');
    t.text('task').notNullable();
    t.text('schedule_name');
    t.timestamp('tick_at', { useTz: true });
    t.integer('attempt').notNullable();
    t.text('worker_id').notNullable();
    t.text('status').notNullable();
    t.timestamp('started_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('finished_at', { useTz: true });
    t.integer('rows');
    t.text('error');
    t.index(['task', 'started_at']);
    t.index(['schedule_name', 'tick_at']);
  });
  await knex.raw(
    `alter table job_runs add constraint job_runs_status_check
       check (status in ('running', 'succeeded', 'failed'))`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('job_runs');
  await knex.schema.dropTable('job_schedules');
}
