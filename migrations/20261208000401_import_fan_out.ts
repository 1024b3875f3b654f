import type { Knex } from 'knex';

/**
 * The import tick fanned out over job runners (jobs/importer/fanOut.ts):
 * - `job_workers`: every runner's heartbeat, so the tick knows who is alive to share the feeds
 *   among, and a runner can tell the jobs meant for a dead one from those of a live one;
 * - a lease per feed in `feed_import_state` (`lease_owner`, `lease_until`): a feed is imported by
 *   one runner at a time; the owner stays after release, so the next tick gives the feed back to
 *   the runner whose memory holds its state;
 * - `import_ticks`: how many of a tick's jobs have finished, so `vehicles.updated` is published
 *   once, after the last.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table job_workers (
      worker_id text primary key,
      started_at timestamptz not null default now(),
      heartbeat_at timestamptz not null default now()
    )`);
  await knex.raw(`
    alter table feed_import_state
      add column lease_owner text,
      add column lease_until timestamptz`);
  await knex.raw(`
    create table import_ticks (
      tick_at timestamptz primary key,
      jobs integer not null check (jobs > 0),
      done integer not null default 0,
      feeds integer not null default 0,
      vehicles integer not null default 0,
      events integer not null default 0,
      created_at timestamptz not null default now()
    )`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table import_ticks');
  await knex.raw('alter table feed_import_state drop column lease_owner, drop column lease_until');
  await knex.raw('drop table job_workers');
}
