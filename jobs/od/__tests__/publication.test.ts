import { randomUUID } from 'node:crypto';
import { cellToParent, latLngToCell } from 'h3-js';
import { blockWindow, OUTSIDE } from '../../../lib/domain/od';
import { createTestDatabase, type TestDatabase } from '../../../test/db';
import { computeBlocks } from '../odMatrix';
import type { OdSettings } from '../settings';

/**
 * The publication rule and the counting of the od_matrix job's SQL, on trips written here by hand
 * into a real database: each expectation is worked out in the test from the trips it inserted.
 */

const TZ = 'Europe/Amsterdam';
const K = 4;
const SETTINGS: OdSettings = {
  minCount: K,
  defaultTimeZone: TZ,
  municipalityTimeZones: {},
  catchUpDays: 9,
  maxBlocksPerRun: 500,
};
const NOW = new Date('2026-06-20T00:00:00Z');
// Two res-8 children of one res-7 cell.
const A = '881f1d4885fffff';
const B = '881f1d4887fffff';

let database: TestDatabase;
let municipality = '';
let district = '';

interface Trip {
  block: number;
  day?: string;
  from: string;
  to: string | null;
  fromZones?: string[];
  toZones?: string[];
  operator?: string;
}

async function insertTrips(n: number, t: Trip): Promise<void> {
  const w = blockWindow(TZ, t.day ?? '2026-06-10', t.block);
  const start = new Date(w.start.getTime() + 60_000);
  await database.db('trips').insert(
    Array.from({ length: n }, (_v, i) => ({
      id: randomUUID(),
      feed_id: randomUUID(),
      operator_id: t.operator ?? 'op',
      form_factor: 'BICYCLE',
      source: 'INFERRED',
      status: t.to ? 'COMPLETED' : 'OPEN',
      start_time: start,
      end_time: t.to ? new Date(start.getTime() + 600_000 + i * 1000) : null,
      start_lat: 52.37,
      start_lng: 4.89,
      end_lat: t.to ? 52.37 : null,
      end_lng: t.to ? 4.9 : null,
      start_h3_cell: t.from,
      end_h3_cell: t.to,
      start_zone_ids: t.fromZones ?? [],
      end_zone_ids: t.to ? (t.toZones ?? []) : null,
      municipality_code: 'GM0363',
      end_municipality_code: t.to ? 'GM0363' : null,
      distance_meters: t.to ? 1000 : null,
    })),
  );
}

interface FlowRow {
  level: string;
  origin: string;
  destination: string | null;
  trips: number;
  duration_seconds_sum: string;
  distance_trips: number;
}

async function flows(block: number, level: string, day = '2026-06-10'): Promise<FlowRow[]> {
  return database
    .db('od_flows')
    .where({ level, block_start: blockWindow(TZ, day, block).start })
    .orderBy(['origin', 'destination'])
    .select<FlowRow[]>(
      'level',
      'origin',
      'destination',
      'trips',
      'duration_seconds_sum',
      'distance_trips',
    );
}

const compute = (blocks: number[], day = '2026-06-10') =>
  computeBlocks(
    database.db,
    SETTINGS,
    blocks.map((b) => blockWindow(TZ, day, b)),
    NOW,
  );

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  for (const table of ['trips', 'rentals']) {
    await db.raw(`select ensure_monthly_partitions(?, '2026-06-01'::timestamptz, 1)`, [table]);
  }
  const square = {
    type: 'Polygon',
    coordinates: [
      [
        [4.8, 52.3],
        [5, 52.3],
        [5, 52.4],
        [4.8, 52.3],
      ],
    ],
  };
  const [m, d] = await db('zones')
    .insert([
      { code: 'GM0363', name: 'Amsterdam', kind: 'MUNICIPALITY', geometry: square },
      { code: 'D1', name: 'District', kind: 'DISTRICT', geometry: square },
    ])
    .returning<{ id: string }[]>('id');
  municipality = m?.id ?? '';
  district = d?.id ?? '';
});

afterAll(() => database?.drop());

describe('od_h3_parent', () => {
  it('is h3-js cellToParent, for cells all over the globe and every coarser resolution', async () => {
    const cells: string[] = [];
    for (let lat = -85; lat <= 85; lat += 8.5) {
      for (let lng = -180; lng < 180; lng += 9.7)
        cells.push(latLngToCell(lat, lng, 8 + (cells.length % 8)));
    }
    const { rows } = await database.db.raw<{ rows: { cell: string; r: number; parent: string }[] }>(
      `select cell, r, od_h3_parent(cell, r) as parent
         from unnest(?::text[]) cell cross join generate_series(0, 7) r`,
      [cells],
    );
    expect(rows.length).toBe(cells.length * 8);
    for (const row of rows) expect(row.parent).toBe(cellToParent(row.cell, row.r));
  });
});

describe('the publication rule', () => {
  it('keeps fine units of at least k trips and drops a coarse one that would reveal a small rest', async () => {
    // a->a 4 trips (published), a->b 2 trips (not): H3_7 holds 6, minus the published 4 leaves 2.
    await insertTrips(4, { block: 1, from: A, to: A });
    await insertTrips(2, { block: 1, from: A, to: B });
    await compute([1]);
    expect((await flows(1, 'H3_8')).map((f) => [f.origin, f.destination, f.trips])).toEqual([
      [A, A, 4],
    ]);
    expect(await flows(1, 'H3_7')).toEqual([]);
    // A third a->b trip would still leave 3 < k; a fourth makes a->b itself published.
    await insertTrips(1, { block: 1, from: A, to: B });
    await compute([1]);
    expect(await flows(1, 'H3_7')).toEqual([]);
    await insertTrips(1, { block: 1, from: A, to: B });
    await compute([1]);
    const parent = cellToParent(A, 7);
    expect((await flows(1, 'H3_7')).map((f) => [f.origin, f.destination, f.trips])).toEqual([
      [parent, parent, 8],
    ]);
    expect((await flows(1, 'H3_8')).map((f) => f.trips)).toEqual([4, 4]);
  });

  it('applies the same rule to a municipality and its districts, the part outside any included', async () => {
    // District -> district 5 (published), outside -> district 3 (not): the municipality's 8
    // minus 5 leaves 3, so the MUNICIPALITY unit is withheld; one more outside trip publishes it.
    await insertTrips(5, { block: 2, from: A, to: A, fromZones: [district], toZones: [district] });
    await insertTrips(3, { block: 2, from: B, to: A, toZones: [district] });
    await compute([2]);
    expect((await flows(2, 'DISTRICT')).map((f) => [f.origin, f.destination, f.trips])).toEqual([
      [district, district, 5],
    ]);
    expect(await flows(2, 'MUNICIPALITY')).toEqual([]);
    await insertTrips(1, { block: 2, from: B, to: A, toZones: [district] });
    await compute([2]);
    expect((await flows(2, 'DISTRICT')).map((f) => [f.origin, f.destination, f.trips])).toEqual(
      expect.arrayContaining([
        [district, district, 5],
        [OUTSIDE, district, 4],
      ]),
    );
    expect(await flows(2, 'DISTRICT')).toHaveLength(2);
    expect((await flows(2, 'MUNICIPALITY')).map((f) => [f.origin, f.destination, f.trips])).toEqual(
      [[municipality, municipality, 9]],
    );
  });

  it('counts trips without an end as origins only, with no duration', async () => {
    await insertTrips(5, { block: 3, from: A, to: null, fromZones: [district] });
    await compute([3]);
    for (const [level, origin] of [
      ['H3_8', A],
      ['H3_7', cellToParent(A, 7)],
      ['DISTRICT', district],
      ['MUNICIPALITY', municipality],
    ]) {
      expect(await flows(3, level ?? '')).toEqual([
        {
          level,
          origin,
          destination: null,
          trips: 5,
          duration_seconds_sum: '0',
          distance_trips: 0,
        },
      ]);
    }
  });

  it('sums durations and distances of the trips with an end', async () => {
    // Trip i of a batch ends 600 + i seconds after it started (insertTrips).
    await insertTrips(4, { block: 4, from: B, to: B });
    await compute([4]);
    expect(await flows(4, 'H3_8')).toEqual([
      {
        level: 'H3_8',
        origin: B,
        destination: B,
        trips: 4,
        duration_seconds_sum: '2406',
        distance_trips: 4,
      },
    ]);
  });
});

describe('computing blocks', () => {
  const DAY = '2026-06-12';
  const snapshot = async () =>
    database.db.raw<{ rows: Record<string, unknown>[] }>(
      `select block_start, level, origin, destination, operator_id, trips, duration_seconds_sum
         from od_flows where local_date = ? order by 1, 2, 3, 4, 5`,
      [DAY],
    );

  it('gives the same rows for a batch as block by block, and a recompute replaces them', async () => {
    for (let block = 0; block < 6; block += 1) {
      await insertTrips(4 + block, { block, day: DAY, from: A, to: B, operator: 'op-a' });
      await insertTrips(5, { block, day: DAY, from: B, to: A, operator: 'op-b' });
    }
    await compute([0, 1, 2, 3, 4, 5], DAY);
    const batch = (await snapshot()).rows;
    // 6 blocks x 2 flows x 4 levels.
    expect(batch.length).toBe(48);
    for (let block = 0; block < 6; block += 1) await compute([block], DAY);
    expect((await snapshot()).rows).toEqual(batch);
    const blocks = await database
      .db('od_blocks')
      .where('local_date', DAY)
      .orderBy('block')
      .select<{ computations: number; trips: number; rows: number }[]>(
        'computations',
        'trips',
        'rows',
      );
    expect(blocks).toEqual(
      [0, 1, 2, 3, 4, 5].map((b) => ({ computations: 2, trips: 9 + b, rows: 8 })),
    );
  });
});
