import { randomUUID } from 'node:crypto';
import { latLngToCell } from 'h3-js';
import type { Db } from '../lib/db';
import { seedIdentities } from '../seeds/identities';

/**
 * A small world in real Dutch municipalities for the vehicles and trips tests: two operators with
 * vehicles in Amsterdam (GM0363) and Rotterdam (GM0599), the organisations that may see them, and
 * a district and a custom zone inside Amsterdam.
 */

export const PLACES = {
  dam: { lat: 52.37312, lng: 4.89321 },
  damNearby: { lat: 52.37318, lng: 4.89335 },
  vondelpark: { lat: 52.358, lng: 4.868 },
  rotterdamCentraal: { lat: 51.9244, lng: 4.469 },
  markthal: { lat: 51.92, lng: 4.486 },
  haarlem: { lat: 52.3874, lng: 4.6462 },
} as const;
export type Place = keyof typeof PLACES;

export const USERS = {
  admin: 'admin@t.nl',
  amsterdam: 'ams@t.nl',
  rotterdam: 'rtm@t.nl',
  operator: 'op@t.nl',
} as const;

export interface World {
  zones: { amsterdam: string; rotterdam: string; haarlem: string; centrum: string; custom: string };
  feeds: { fietsbv: string; scoot: string };
}

const square = (lng: number, lat: number, size: number) => ({
  type: 'Polygon',
  coordinates: [
    [
      [lng, lat],
      [lng + size, lat],
      [lng + size, lat + size],
      [lng, lat + size],
      [lng, lat],
    ],
  ],
});

export const h3 = (place: Place): string => latLngToCell(PLACES[place].lat, PLACES[place].lng, 8);

/** Organisations, operators, feeds and zones; call once per test database. */
export async function seedWorld(db: Db): Promise<World> {
  await seedIdentities(db, [
    {
      name: 'Admins',
      type: 'ADMIN',
      municipalityCodes: [],
      operatorIds: [],
      users: [{ email: USERS.admin, privileges: [] }],
    },
    {
      name: 'Gemeente Amsterdam',
      type: 'MUNICIPALITY',
      municipalityCodes: ['GM0363'],
      operatorIds: [],
      users: [{ email: USERS.amsterdam, privileges: [] }],
    },
    {
      name: 'Gemeente Rotterdam',
      type: 'MUNICIPALITY',
      municipalityCodes: ['GM0599'],
      operatorIds: [],
      users: [{ email: USERS.rotterdam, privileges: [] }],
    },
    {
      name: 'Fiets BV',
      type: 'OPERATOR',
      municipalityCodes: [],
      operatorIds: ['fietsbv'],
      users: [{ email: USERS.operator, privileges: [] }],
    },
  ]);
  const municipalities = await db('zones')
    .whereIn('code', ['GM0363', 'GM0599', 'GM0392'])
    .andWhere('kind', 'MUNICIPALITY')
    .select<{ id: string; code: string }[]>('id', 'code');
  const idOf = (code: string) => {
    const zone = municipalities.find((z) => z.code === code);
    if (!zone) throw new Error(`municipality ${code} is not seeded`);
    return zone.id;
  };
  const amsterdamOrg = await db('organisations')
    .where('name', 'Gemeente Amsterdam')
    .first<{ id: string }>('id');
  const [centrum] = await db('zones')
    .insert({
      code: 'WK036300',
      name: 'Centrum',
      kind: 'DISTRICT',
      geometry: JSON.stringify(square(4.87, 52.36, 0.04)),
      municipality_code: 'GM0363',
    })
    .returning<{ id: string }[]>('id');
  const [custom] = await db('zones')
    .insert({
      code: 'AMS-DAM',
      name: 'Dam square hub area',
      kind: 'CUSTOM',
      geometry: JSON.stringify(square(4.885, 52.37, 0.01)),
      municipality_code: 'GM0363',
      owner_organisation_id: amsterdamOrg.id,
    })
    .returning<{ id: string }[]>('id');

  await db('operators').insert([
    { id: 'fietsbv', name: 'Fiets BV' },
    { id: 'scoot', name: 'Scoot NL' },
  ]);
  await db('vehicle_types').insert([
    {
      operator_id: 'fietsbv',
      id: 'ebike',
      form_factor: 'BICYCLE',
      propulsion_type: 'electric_assist',
      name: 'E-bike',
    },
    {
      operator_id: 'scoot',
      id: 'moped',
      form_factor: 'MOPED',
      propulsion_type: 'electric',
      name: 'E-moped',
    },
  ]);
  const [fietsbv] = await db('feeds')
    .insert({
      operator_id: 'fietsbv',
      url: 'https://gbfs.fietsbv.example/gbfs.json',
      type: 'GBFS3_VEHICLE_STATUS',
      auth: JSON.stringify({
        type: 'HEADER',
        header: 'Authorization',
        value: 'Bearer fixture-secret',
      }),
    })
    .returning<{ id: string }[]>('id');
  const [scoot] = await db('feeds')
    .insert({
      operator_id: 'scoot',
      url: 'https://scoot.example/free_bike_status.json',
      type: 'GBFS_FREE_BIKE_STATUS',
      rotating_ids: true,
    })
    .returning<{ id: string }[]>('id');
  return {
    zones: {
      amsterdam: idOf('GM0363'),
      rotterdam: idOf('GM0599'),
      haarlem: idOf('GM0392'),
      centrum: centrum!.id,
      custom: custom!.id,
    },
    feeds: { fietsbv: fietsbv!.id, scoot: scoot!.id },
  };
}

/** Zones and municipality of a place, smallest zone first, as the importer assigns them. */
export function zonesAt(
  world: World,
  place: Place,
): { zone_ids: string[]; municipality_code: string } {
  switch (place) {
    case 'dam':
    case 'damNearby':
      return {
        zone_ids: [world.zones.custom, world.zones.centrum, world.zones.amsterdam],
        municipality_code: 'GM0363',
      };
    case 'vondelpark':
      return {
        zone_ids: [world.zones.centrum, world.zones.amsterdam],
        municipality_code: 'GM0363',
      };
    case 'rotterdamCentraal':
    case 'markthal':
      return { zone_ids: [world.zones.rotterdam], municipality_code: 'GM0599' };
    case 'haarlem':
      return { zone_ids: [world.zones.haarlem], municipality_code: 'GM0392' };
  }
}

/** Monthly partitions for fixture rows outside the months the migration prepared. */
export async function ensurePartitions(db: Db, from: string, months: number): Promise<void> {
  for (const table of ['park_events', 'trips', 'rentals']) {
    await db.raw('select ensure_monthly_partitions(?, ?::timestamptz, ?)', [table, from, months]);
  }
}

export interface ParkEventFixture {
  id?: string;
  feed: keyof World['feeds'];
  vehicleId: string;
  place: Place;
  start: Date;
  end?: Date | null;
  formFactor?: string;
}

export async function insertParkEvents(
  db: Db,
  world: World,
  events: ParkEventFixture[],
): Promise<string[]> {
  const rows = events.map((e) => ({
    id: e.id ?? randomUUID(),
    feed_id: world.feeds[e.feed],
    operator_id: e.feed,
    vehicle_id: e.vehicleId,
    form_factor: e.formFactor ?? (e.feed === 'fietsbv' ? 'BICYCLE' : 'MOPED'),
    vehicle_type_id: e.feed === 'fietsbv' ? 'ebike' : 'moped',
    lat: PLACES[e.place].lat,
    lng: PLACES[e.place].lng,
    h3_cell: h3(e.place),
    ...zonesAt(world, e.place),
    start_time: e.start,
    end_time: e.end ?? null,
    end_reason: e.end ? 'RENTAL' : null,
  }));
  await db('park_events').insert(rows);
  return rows.map((r) => r.id);
}
