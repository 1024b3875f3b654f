import { randomUUID } from 'node:crypto';
import { TICK_MS } from '../../../lib/time/buckets';
import { HOUR, MINUTE } from '../../../lib/units';
import { createTestDatabase, type TestDatabase } from '../../../test/db';
import { packedSeriesDifferences } from '../../../test/packedSeries';
import { computeWindow, runZoneStats } from '../compute';

/**
 * Late events: a run recounts the past windows whose events changed after they were counted (the
 * tables' triggers mark them), whatever wrote them, and leaves every other window alone.
 */
const NOW = Date.parse('2026-12-07T12:00:00Z');
const TIME_ZONE = 'Europe/Amsterdam';
const SETTINGS = { recountMs: 6 * HOUR, maxCatchupMs: 6 * HOUR, timeZone: TIME_ZONE };
const FEED = randomUUID();
let database: TestDatabase;
let zone: string;

beforeAll(async () => {
  database = await createTestDatabase();
  const [row] = await database
    .db('zones')
    .insert({
      code: 'BU03630001',
      name: 'Buurt',
      kind: 'NEIGHBOURHOOD',
      municipality_code: 'GM0363',
      geometry: JSON.stringify({
        type: 'Polygon',
        coordinates: [
          [
            [4.9, 52.37],
            [4.91, 52.37],
            [4.91, 52.38],
            [4.9, 52.37],
          ],
        ],
      }),
    })
    .returning<{ id: string }[]>('id');
  zone = row?.id ?? '';
});

afterAll(async () => {
  await database?.drop();
});

function parkEvent(vehicle: string, start: number, end: number | null) {
  return database.db('park_events').insert({
    id: randomUUID(),
    feed_id: FEED,
    operator_id: 'op-a',
    vehicle_id: vehicle,
    form_factor: 'BICYCLE',
    lat: 52.375,
    lng: 4.905,
    h3_cell: 'x',
    zone_ids: [zone],
    municipality_code: 'GM0363',
    start_time: new Date(start),
    end_time: end === null ? null : new Date(end),
  });
}

/** The all-operators 5-minute rows of ticks from..to: tick -> [available, started, ended, xmin]. */
async function fiveMinuteRows(from: number, to: number) {
  const rows = await database
    .db('zone_stats_5m')
    .where({ zone_id: zone, operator_id: '*', form_factor: '*' })
    .andWhere('bucket_start', '>=', new Date(from))
    .andWhere('bucket_start', '<=', new Date(to))
    .orderBy('bucket_start')
    .select<{ bucket_start: Date; available: number; started: number; ended: number; x: string }[]>(
      'bucket_start',
      'available',
      'started',
      'ended',
      database.db.raw('xmin::text as x'),
    );
  return new Map(rows.map((r) => [r.bucket_start.getTime(), r]));
}

it('counts late events in their old windows, and neither reads nor rewrites the others', async () => {
  await parkEvent('v1', NOW - 5 * HOUR, null);
  await runZoneStats(database.db, SETTINGS, NOW);
  // A steady run with nothing new counts its own tick only.
  const steady = await runZoneStats(database.db, SETTINGS, NOW + TICK_MS);
  expect(steady.ranges).toEqual([{ from: NOW + TICK_MS, to: NOW + TICK_MS }]);

  const untouched = { from: NOW - 4 * HOUR, to: NOW - 3 * HOUR };
  const before = await fiveMinuteRows(untouched.from, untouched.to);
  expect(before.size).toBe(13);
  const hourBefore = await database
    .db('zone_stats_hour')
    .where({ zone_id: zone, operator_id: '*', form_factor: '*' })
    .andWhere('bucket_start', new Date(untouched.from))
    .first<{ x: string }>(database.db.raw('xmin::text as x'));

  // Reported late: a trip two hours ago and a vehicle parked from 90 to 70 minutes ago.
  const tripAt = NOW - 2 * HOUR + MINUTE;
  await database.db('trips').insert({
    id: randomUUID(),
    feed_id: FEED,
    operator_id: 'op-a',
    vehicle_id: 'v2',
    form_factor: 'BICYCLE',
    source: 'MDS_EXACT',
    status: 'COMPLETED',
    start_time: new Date(tripAt),
    end_time: new Date(tripAt + 3 * MINUTE),
    start_lat: 52.375,
    start_lng: 4.905,
    end_lat: 52.375,
    end_lng: 4.905,
    start_h3_cell: 'x',
    end_h3_cell: 'x',
    start_zone_ids: [zone],
    end_zone_ids: [zone],
    municipality_code: 'GM0363',
    end_municipality_code: 'GM0363',
  });
  await parkEvent('v3', NOW - 90 * MINUTE, NOW - 70 * MINUTE);

  const late = await runZoneStats(database.db, SETTINGS, NOW + 2 * TICK_MS);
  // The late windows and the new tick, nothing else.
  expect(late.ranges).toEqual([
    { from: NOW - 2 * HOUR, to: NOW - 2 * HOUR },
    { from: NOW - 90 * MINUTE, to: NOW - 70 * MINUTE },
    { from: NOW + 2 * TICK_MS, to: NOW + 2 * TICK_MS },
  ]);
  expect(late.rows).toBeGreaterThan(0);

  const counted = await fiveMinuteRows(NOW - 2 * HOUR - TICK_MS, NOW);
  const at = (t: number) => counted.get(t);
  expect(at(NOW - 2 * HOUR)).toMatchObject({ available: 1, started: 1, ended: 1 });
  expect(at(NOW - 2 * HOUR - TICK_MS)).toMatchObject({ available: 1, started: 0, ended: 0 });
  for (let t = NOW - 90 * MINUTE; t < NOW - 70 * MINUTE; t += TICK_MS) {
    expect({ t, available: at(t)?.available }).toEqual({ t, available: 2 });
  }
  expect(at(NOW - 70 * MINUTE)?.available).toBe(1);
  // The rollups of the hours they fall in include them.
  const hours = await database
    .db('zone_stats_hour')
    .where({ zone_id: zone, operator_id: '*', form_factor: '*' })
    .andWhere('bucket_start', '>=', new Date(NOW - 2 * HOUR))
    .andWhere('bucket_start', '<', new Date(NOW))
    .orderBy('bucket_start')
    .select('started', 'available_max');
  expect(hours).toEqual([
    { started: 1, available_max: 2 },
    { started: 0, available_max: 1 },
  ]);

  // The window no late event touched: the same row versions as before, hour rollup included.
  const after = await fiveMinuteRows(untouched.from, untouched.to);
  expect([...after.values()].map((r) => r.x)).toEqual([...before.values()].map((r) => r.x));
  const hourAfter = await database
    .db('zone_stats_hour')
    .where({ zone_id: zone, operator_id: '*', form_factor: '*' })
    .andWhere('bucket_start', new Date(untouched.from))
    .first<{ x: string }>(database.db.raw('xmin::text as x'));
  expect(hourAfter?.x).toBe(hourBefore?.x);

  // The packed quarter hours and days took the late events in as well.
  expect(await packedSeriesDifferences(database.db, TIME_ZONE)).toEqual([]);

  // What the marks led to equals a recount of everything, and the marks are used up.
  expect(await computeWindow(database.db, NOW - 6 * HOUR, NOW + 2 * TICK_MS, TIME_ZONE)).toBe(0);
  await expect(runZoneStats(database.db, SETTINGS, NOW + 2 * TICK_MS)).resolves.toMatchObject({
    rows: 0,
    ranges: [],
  });
});

it('recounts from where a park event ended, not from where it began', async () => {
  const ended = NOW + 2 * TICK_MS - 7 * MINUTE;
  await database
    .db('park_events')
    .where({ vehicle_id: 'v1' })
    .update({ end_time: new Date(ended), end_reason: 'RENTAL' });
  const run = await runZoneStats(database.db, SETTINGS, NOW + 3 * TICK_MS);
  expect(run.ranges).toEqual([{ from: ended - (ended % TICK_MS), to: NOW + 3 * TICK_MS }]);
  // Parked at NOW, gone at the two ticks after (counted before it ended), none since.
  const counted = await fiveMinuteRows(NOW, NOW + 3 * TICK_MS);
  expect([...counted.keys()]).toEqual([NOW]);
  expect(await packedSeriesDifferences(database.db, TIME_ZONE)).toEqual([]);
});
