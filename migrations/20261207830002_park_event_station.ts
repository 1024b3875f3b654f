import type { Knex } from 'knex';

/**
 * A park event of a vehicle standing at a station (GBFS `station_id`: a dock, a car-share bay)
 * keeps the station, so counts of public space (vehicleCountsNow, parkingDurations, the zone
 * series) leave it out and the API can count it apart (VehiclePlacement).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table park_events add column station_id text');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table park_events drop column station_id');
}
