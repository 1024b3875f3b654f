import type { Knex } from 'knex';

/**
 * Windows of the zone series whose events changed (jobs/zoneStats). Every statement that inserts,
 * updates or deletes park events, non-operational periods, trips or rentals records, in its own
 * transaction, the span of time it can have changed: one row per statement, the hull of its rows'
 * changes (`to_at` null: up to the present). The zone_stats job recounts the 5-minute ticks of
 * those spans and nothing else of the past, however late the events came and whoever wrote them
 * (the importer, MDS trips, demo history, a repair by hand).
 *
 * What a row changes: a park event or non-operational period counts at every tick in
 * [start, end), so an insert or delete changes those ticks, and an update that only moves the end
 * changes the ticks between the old and the new end (the importer ending a park event touches the
 * ticks from its end on, not the days it lasted); a trip counts at the tick of its start and of its
 * end, a rental at its instant.
 */
const INFINITY = `'infinity'::timestamptz`;

/** An interval table's spans: rows as they are; updates only what moved. */
function intervalSpans(sameAttribution: string): Record<'rows' | 'update', string> {
  return {
    rows: `select start_time as lo, coalesce(end_time, ${INFINITY}) as hi from ROWS`,
    update: `
      select case when o.start_time = n.start_time and ${sameAttribution}
                  then least(coalesce(o.end_time, ${INFINITY}), coalesce(n.end_time, ${INFINITY}))
                  else least(o.start_time, n.start_time) end as lo,
             greatest(coalesce(o.end_time, ${INFINITY}), coalesce(n.end_time, ${INFINITY})) as hi
        from old_rows o join new_rows n using (id)
       where not (o.start_time = n.start_time and ${sameAttribution}
                  and o.end_time is not distinct from n.end_time)`,
  };
}

const SPANS: Record<string, Record<'rows' | 'update', string>> = {
  park_events: intervalSpans(
    `o.zone_ids = n.zone_ids and o.operator_id = n.operator_id and o.form_factor = n.form_factor
     and o.feed_id = n.feed_id and o.vehicle_id = n.vehicle_id
     and o.station_id is not distinct from n.station_id`,
  ),
  non_operational_periods: intervalSpans('o.feed_id = n.feed_id and o.vehicle_id = n.vehicle_id'),
  trips: {
    rows: 'select start_time as lo, greatest(start_time, end_time) as hi from ROWS',
    // A trip that only ends (or changes its end) changes the tick of its end.
    update: `
      select case when same_start then least(o_end, n_end)
                  else least(o_start, n_start, o_end, n_end) end as lo,
             case when same_start then greatest(o_end, n_end)
                  else greatest(o_start, n_start, o_end, n_end) end as hi
        from (select o.start_time as o_start, n.start_time as n_start,
                     o.end_time as o_end, n.end_time as n_end,
                     o.start_time = n.start_time and o.start_zone_ids = n.start_zone_ids
                     and o.operator_id = n.operator_id and o.form_factor = n.form_factor
                     and (o.status in ('OPEN', 'COMPLETED')) = (n.status in ('OPEN', 'COMPLETED'))
                     as same_start
                from old_rows o join new_rows n using (id)) x`,
  },
  rentals: {
    rows: 'select at as lo, at as hi from ROWS',
    update: `select least(o.at, n.at) as lo, greatest(o.at, n.at) as hi
               from old_rows o join new_rows n using (id)`,
  },
};

function markFunction(table: string): string {
  const spans = SPANS[table] ?? { rows: '', update: '' };
  const mark = (select: string) => `
      insert into zone_stats_dirty (from_at, to_at)
      select date_bin('5 minutes', min(lo), timestamptz '1970-01-01 00:00:00+00'),
             nullif(max(hi), ${INFINITY})
        from (${select}) s
      having count(lo) > 0;`;
  return `
    create function zone_stats_mark_${table}() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then ${mark(spans.rows.replace('ROWS', 'new_rows'))}
      elsif tg_op = 'DELETE' then ${mark(spans.rows.replace('ROWS', 'old_rows'))}
      else ${mark(spans.update)}
      end if;
      return null;
    end $$`;
}

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table zone_stats_dirty (
      id bigserial primary key,
      -- The first 5-minute tick the change can touch.
      from_at timestamptz not null,
      -- The last instant it can touch; null: up to the present.
      to_at timestamptz,
      marked_at timestamptz not null default now()
    )`);
  for (const table of Object.keys(SPANS)) {
    await knex.raw(markFunction(table));
    for (const [event, referencing] of [
      ['insert', 'new table as new_rows'],
      ['update', 'old table as old_rows new table as new_rows'],
      ['delete', 'old table as old_rows'],
    ] as const) {
      await knex.raw(`
        create trigger ${table}_zone_stats_${event} after ${event} on ${table}
          referencing ${referencing}
          for each statement execute function zone_stats_mark_${table}()`);
    }
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const table of Object.keys(SPANS)) {
    for (const event of ['insert', 'update', 'delete']) {
      await knex.raw(`drop trigger ${table}_zone_stats_${event} on ${table}`);
    }
    await knex.raw(`drop function zone_stats_mark_${table}()`);
  }
  await knex.raw('drop table zone_stats_dirty');
}
