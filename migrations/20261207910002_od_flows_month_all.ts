import type { Knex } from 'knex';
import { OD_LEVELS } from '../lib/domain/od';

const LEVELS = `(${OD_LEVELS.map((l) => `'${l}'`).join(', ')})`;

/**
 * od_flows_month summed over weekdays and blocks: what odFlows reads when its filter names no
 * weekdays and no blocks (most questions: "a month from this district", "the top pairs of the
 * year"), 42 times fewer rows than od_flows_month. Every row is still a sum of published block
 * units (od_flows), so answers stay sums of published units and the differencing guarantee holds.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table od_flows_month_all (
      time_zone text not null,
      month date not null,
      level text not null check (level in ${LEVELS}),
      origin text not null,
      destination text,
      operator_id text not null,
      form_factor text not null,
      origin_municipality text,
      destination_municipality text,
      trips integer not null,
      duration_seconds_sum bigint not null,
      distance_meters_sum bigint not null,
      distance_trips integer not null
    );
    create index od_flows_month_all_month on od_flows_month_all (time_zone, month);
    create index od_flows_month_all_origin on od_flows_month_all (level, origin, month);
    create index od_flows_month_all_destination on od_flows_month_all (level, destination, month);
    create index od_flows_month_all_level on od_flows_month_all (level, month);

    insert into od_flows_month_all (time_zone, month, level, origin, destination, operator_id,
                                    form_factor, origin_municipality, destination_municipality,
                                    trips, duration_seconds_sum, distance_meters_sum,
                                    distance_trips)
    select time_zone, month, level, origin, destination, operator_id, form_factor,
           origin_municipality, destination_municipality, sum(trips), sum(duration_seconds_sum),
           sum(distance_meters_sum), sum(distance_trips)
      from od_flows_month
     group by time_zone, month, level, origin, destination, operator_id, form_factor,
              origin_municipality, destination_municipality;`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table od_flows_month_all');
}
