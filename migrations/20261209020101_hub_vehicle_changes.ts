import type { Knex } from 'knex';

/**
 * Which parked vehicles changed, for the microhub controller (jobs/microhubs), so a tick reads the
 * vehicles that moved since its last one instead of every vehicle. Every statement that inserts,
 * updates or deletes `vehicle_state` rows logs, in its own transaction, the key of each row whose
 * parked position, form factor or rentability it changed (a row is parked while `gone_at` is
 * null), with what counting reads of it now: a vehicle that parks, moves, changes (all of it),
 * drives off or is deleted (only its key). A reader takes each vehicle's last entry (by `id`: two
 * writes of one row are ordered by its lock) and never has to look the vehicle up.
 *
 * `xid` is the writing transaction's id, so a reader can tell exactly which rows it has not seen:
 * those whose transaction was not visible to its last read's snapshot (all at or above that
 * snapshot's oldest running transaction X; every change below X was visible to it). Rows older
 * than ten minutes are pruned; `hub_controller_state.changes_pruned_xid` holds the highest pruned
 * xid, and a reader whose last X is not above it counts everything again.
 */
/** What counting reads of a vehicle_state row. */
const COUNTED = 'feed_id, vehicle_id, lat, lng, form_factor, is_reserved, is_disabled';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table hub_vehicle_changes (
      id bigserial primary key,
      xid bigint not null default pg_current_xact_id()::text::bigint,
      at timestamptz not null default now(),
      feed_id uuid not null,
      vehicle_id text not null,
      -- The vehicle as it is parked now; all null: parked no more (gone or deleted).
      lat double precision,
      lng double precision,
      form_factor text,
      is_reserved boolean,
      is_disabled boolean
    );
    create index hub_vehicle_changes_xid on hub_vehicle_changes (xid);
    create index hub_vehicle_changes_at on hub_vehicle_changes (at);
    alter table hub_controller_state add column changes_pruned_xid bigint not null default 0;

    create function hub_vehicle_changes_log() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        insert into hub_vehicle_changes (${COUNTED})
        select ${COUNTED} from new_rows where gone_at is null;
      elsif tg_op = 'DELETE' then
        insert into hub_vehicle_changes (feed_id, vehicle_id)
        select feed_id, vehicle_id from old_rows where gone_at is null;
      else
        -- Parked rows that differ in what counting reads, as they are now; and rows parked
        -- before that are parked no more.
        insert into hub_vehicle_changes (${COUNTED})
        select ${COUNTED}
          from (select ${COUNTED} from new_rows where gone_at is null
                except all
                select ${COUNTED} from old_rows where gone_at is null) parked
        union all
        select o.feed_id, o.vehicle_id, null, null, null, null, null
          from old_rows o
         where o.gone_at is null
           and not exists (select 1 from new_rows n
                            where n.feed_id = o.feed_id and n.vehicle_id = o.vehicle_id
                              and n.gone_at is null);
      end if;
      return null;
    end $$;
    create trigger vehicle_state_hub_changes_insert after insert on vehicle_state
      referencing new table as new_rows
      for each statement execute function hub_vehicle_changes_log();
    create trigger vehicle_state_hub_changes_update after update on vehicle_state
      referencing old table as old_rows new table as new_rows
      for each statement execute function hub_vehicle_changes_log();
    create trigger vehicle_state_hub_changes_delete after delete on vehicle_state
      referencing old table as old_rows
      for each statement execute function hub_vehicle_changes_log();`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop trigger vehicle_state_hub_changes_insert on vehicle_state;
    drop trigger vehicle_state_hub_changes_update on vehicle_state;
    drop trigger vehicle_state_hub_changes_delete on vehicle_state;
    drop function hub_vehicle_changes_log();
    alter table hub_controller_state drop column changes_pruned_xid;
    drop table hub_vehicle_changes;`);
}
