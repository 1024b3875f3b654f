import type { Knex } from 'knex';

/**
 * Demo seeding (`npm start`) re-points the feeds it registered to the simulator's new port at
 * every start: it must know them, and leave every other feed of the same operators alone.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`alter table feeds add column demo boolean not null default false`);
  // Feeds registered by earlier starts point at the in-process simulator on the loopback address.
  await knex.raw(
    `update feeds set demo = true
      where url ~ '^http://127\\.0\\.0\\.1:[0-9]+/[a-z0-9_-]+/(gbfs|mds)/'`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`alter table feeds drop column demo`);
}
