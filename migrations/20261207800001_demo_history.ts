import type { Knex } from 'knex';

/**
 * The demo's first start simulates the last days into the tables (seeds/demoHistory.ts). One row
 * says it did, written in the same transaction as the history itself, so a restart neither
 * simulates it again nor doubles it, and a start that died half-way left nothing behind; the
 * later steps (the join to the live feeds, the jobs' catch-up) are marked as they finish, and a
 * start that finds one unfinished runs it again.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table demo_history (
      id smallint primary key default 1 check (id = 1),
      from_time timestamptz not null,
      to_time timestamptz not null,
      seed integer not null,
      vehicles integer not null,
      park_events integer not null,
      trips integer not null,
      rentals integer not null,
      filled_at timestamptz not null default now(),
      -- set once the live feeds took the history's open park events over (seeds/demoHistory.ts)
      joined_at timestamptz,
      -- set once zone_stats, daily_report and od_matrix ran over it
      caught_up_at timestamptz
    )`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('demo_history');
}
