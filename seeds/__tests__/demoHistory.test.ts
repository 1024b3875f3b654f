import { createImportFeedsJob } from '../../jobs/importer/importFeeds';
import { ZoneLocator } from '../../jobs/importer/zoneLocator';
import { localDay } from '../../lib/domain/calendar';
import { InProcessPubSub } from '../../lib/pubsub';
import { TICK_MS } from '../../lib/time/buckets';
import { HOUR, SECOND } from '../../lib/units';
import {
  createFeedSimulator,
  demoOperators,
  type CompletedTrip,
  type FeedSimulator,
  type VehicleTruth,
} from '../../simulator';
import { createTestDatabase, silentLogger, TEST_CONFIG, type TestDatabase } from '../../test/db';
import { seed } from '../index';
import { registerDemoFeeds, type DemoFeed } from '../demoFeeds';
import {
  createHistoryRecorder,
  demoHistoryState,
  fillDemoHistory,
  historyStart,
  type DemoHistoryReport,
} from '../demoHistory';

/**
 * The demo's history (DEMO_HISTORY_DAYS=1: from yesterday's local midnight to now, 90 vehicles of
 * the three demo operators) against what the simulator says happened: the trips and rentals, every
 * 5-minute zone_stats bucket recounted from the simulator's own vehicle states sampled at each
 * tick, the daily report's trips of yesterday and the OD blocks' trip counts. Then the join: one
 * park event per vehicle at a time across it, and the live importer going on from there.
 */

const TIME_ZONE = TEST_CONFIG.ZONE_STATS_TIME_ZONE;
const pubsub = new InProcessPubSub();
const operators = demoOperators(3, 90);

let database: TestDatabase;
let simulator: FeedSimulator;
let feeds: DemoFeed[];
let report: DemoHistoryReport;
let locate: ZoneLocator['locate'];
const nowMs = Date.now();
const fromMs = historyStart(nowMs, 1, TIME_ZONE);
/** The simulator's own vehicle states at every 5-minute tick of the history ... */
const samples = new Map<number, VehicleTruth[]>();
/** ... and at its end. */
let atEnd: VehicleTruth[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  await seed(db, pubsub, silentLogger, { demo: true });
  const recorder = await createHistoryRecorder(db, fromMs);
  simulator = createFeedSimulator({
    operators,
    seed: 7,
    startTime: new Date(fromMs),
    observer: recorder.observe,
    tripRetentionMs: 72 * HOUR,
  });
  await simulator.start(0, '127.0.0.1');
  feeds = await registerDemoFeeds(db, operators, (id) => simulator.feedUrls(id));
  const zones = new ZoneLocator(db);
  await zones.refresh();
  locate = zones.locate;
  report = await fillDemoHistory({
    db,
    pubsub,
    logger: silentLogger,
    config: TEST_CONFIG,
    simulator,
    recorder,
    feeds,
    fromMs,
    seed: 7,
    vehicles: 90,
    now: () => nowMs,
    onTick: (ms) => samples.set(ms, simulator.vehicleTruth()),
  });
  atEnd = simulator.vehicleTruth();
}, 300_000);

/** Rentals of the rotating-id feeds still under way when the history ended (their start is in). */
const underWayAtEnd = (operatorId: string) =>
  atEnd.filter((v) => v.operatorId === operatorId && v.trip !== null).map((v) => v.trip!);

afterAll(async () => {
  await simulator?.stop();
  await database?.drop();
});

const feedOf = (operatorId: string) => {
  const feed = feeds.find((f) => f.operatorId === operatorId);
  if (!feed) throw new Error(`no feed for ${operatorId}`);
  return feed;
};

/** Trips that ended within the history, per operator. */
function completedTrips(operatorId: string): CompletedTrip[] {
  return simulator
    .allCompletedTrips()
    .filter((t) => t.operatorId === operatorId)
    .map((t) => t.trip)
    .filter((t) => t.endMs <= report.toMs);
}

const stable = operators.filter((o) => !o.rotatingIds);
const rotating = operators.filter((o) => o.rotatingIds);

it('records the demo history once, up to now', async () => {
  expect(await demoHistoryState(database.db)).toBe('DONE');
  expect(report.toMs).toBeGreaterThan(nowMs - SECOND);
  expect(report.toMs).toBeLessThanOrEqual(nowMs);
  expect(stable.length).toBe(2);
  expect(rotating.length).toBe(1);
});

it('has every completed trip of the stable-id feeds, with the vehicle ids their feeds show', async () => {
  for (const operator of stable) {
    const feed = feedOf(operator.id);
    const truth = completedTrips(operator.id);
    expect(truth.length).toBeGreaterThan(50);
    const rows = await database
      .db('trips')
      .where({ feed_id: feed.feedId })
      .select<{ vehicle_id: string; start_time: Date; end_time: Date; status: string }[]>(
        'vehicle_id',
        'start_time',
        'end_time',
        'status',
      );
    const key = (vehicle: string, start: number, end: number) => `${vehicle}|${start}|${end}`;
    const byDevice = feed.type === 'MDS_VEHICLES';
    expect(
      rows
        .filter((r) => r.start_time.getTime() < report.toMs)
        .map((r) => key(r.vehicle_id, r.start_time.getTime(), r.end_time.getTime()))
        .sort(),
    ).toEqual(truth.map((t) => key(byDevice ? t.deviceId : t.publicId, t.startMs, t.endMs)).sort());
  }
});

it('has a rental start and end per rental of the rotating-id feed', async () => {
  for (const operator of rotating) {
    const truth = completedTrips(operator.id);
    const counts = await database
      .db('rentals')
      .where('feed_id', feedOf(operator.id).feedId)
      .andWhere('at', '<=', new Date(report.toMs))
      .select('kind')
      .count<{ kind: string; count: string }[]>('* as count')
      .groupBy('kind');
    const count = (kind: string) => Number(counts.find((c) => c.kind === kind)?.count ?? 0);
    expect(truth.length).toBeGreaterThan(50);
    expect(count('END')).toBe(truth.length);
    expect(count('START')).toBe(truth.length + underWayAtEnd(operator.id).length);
  }
});

/** zone|operator -> [available, unavailable, started, ended] at a tick, from the simulator. */
function truthAt(tick: number): Map<string, number[]> {
  const counts = new Map<string, number[]>();
  const add = (zoneIds: readonly string[], operatorId: string, index: number) => {
    for (const zone of zoneIds) {
      const key = `${zone}|${operatorId}`;
      const c = counts.get(key) ?? [0, 0, 0, 0];
      c[index]! += 1;
      counts.set(key, c);
    }
  };
  for (const v of samples.get(tick) ?? []) {
    if (v.state === 'ON_TRIP' || v.state === 'COLLECTED') continue;
    add(locate(v.parkedLat, v.parkedLng).zoneIds, v.operatorId, v.state === 'DISABLED' ? 1 : 0);
  }
  const inWindow = (ms: number) => ms >= tick && ms < tick + TICK_MS;
  for (const operator of operators) {
    for (const t of completedTrips(operator.id)) {
      if (inWindow(t.startMs)) add(locate(t.startLat, t.startLng).zoneIds, operator.id, 2);
      if (inWindow(t.endMs)) add(locate(t.endLat, t.endLng).zoneIds, operator.id, 3);
    }
  }
  return counts;
}

it('counts every zone at every 5-minute tick as the simulator says', async () => {
  // Ticks whose trip windows lie wholly within the history (rentals still under way at its end
  // are recorded on the rotating feed only, as its starts).
  const ticks = [...samples.keys()].filter((t) => t + TICK_MS <= report.toMs - HOUR).sort();
  expect(ticks.length).toBeGreaterThan(200);
  const rows = await database
    .db('zone_stats_5m')
    .where('bucket_start', '>=', new Date(ticks[0]!))
    .andWhere('bucket_start', '<=', new Date(ticks[ticks.length - 1]!))
    .whereNot('operator_id', '*')
    .whereNot('form_factor', '*')
    .select<
      {
        bucket_start: Date;
        zone_id: string;
        operator_id: string;
        available: number;
        unavailable: number;
        started: number;
        ended: number;
      }[]
    >('bucket_start', 'zone_id', 'operator_id', 'available', 'unavailable', 'started', 'ended');
  const stored = new Map<number, Map<string, number[]>>();
  for (const r of rows) {
    const tick = r.bucket_start.getTime();
    const counts = stored.get(tick) ?? new Map<string, number[]>();
    const nonZero = [r.available, r.unavailable, r.started, r.ended];
    if (nonZero.some((n) => n !== 0)) counts.set(`${r.zone_id}|${r.operator_id}`, nonZero);
    stored.set(tick, counts);
  }
  let compared = 0;
  for (const tick of ticks) {
    const truth = truthAt(tick);
    const got = stored.get(tick) ?? new Map<string, number[]>();
    expect({ tick: new Date(tick), counts: Object.fromEntries(got) }).toEqual({
      tick: new Date(tick),
      counts: Object.fromEntries(truth),
    });
    compared += truth.size;
  }
  expect(compared).toBeGreaterThan(1000);
});

it("has yesterday's daily report with the trips the simulator made", async () => {
  const yesterday = localDay(new Date(fromMs + 12 * HOUR), TIME_ZONE);
  const amsterdam = await database
    .db('zones')
    .where({ kind: 'MUNICIPALITY', code: 'GM0363' })
    .first<{ id: string }>('id');
  const rows = await database
    .db('daily_zone_indicators')
    .where({ zone_id: amsterdam.id, day: yesterday })
    .select<{ operator_id: string; trips_started: number }[]>('operator_id', 'trips_started');
  for (const operator of stable) {
    const truth = completedTrips(operator.id).filter(
      (t) =>
        localDay(new Date(t.startMs), TIME_ZONE) === yesterday &&
        locate(t.startLat, t.startLng).zoneIds.includes(amsterdam.id),
    ).length;
    const stored = rows
      .filter((r) => r.operator_id === operator.id)
      .reduce((sum, r) => sum + r.trips_started, 0);
    expect({ operator: operator.id, trips: stored }).toEqual({
      operator: operator.id,
      trips: truth,
    });
    expect(truth).toBeGreaterThan(0);
  }
});

it('has the OD blocks of the history with the trips the simulator made', async () => {
  const blocks = await database
    .db('od_blocks')
    .where('time_zone', TIME_ZONE)
    .andWhere('block_end', '<=', new Date(report.toMs - HOUR))
    .select<{ block_start: Date; block_end: Date; trips: number }[]>(
      'block_start',
      'block_end',
      'trips',
    );
  expect(blocks.length).toBeGreaterThanOrEqual(6);
  for (const b of blocks) {
    const inBlock = (ms: number) => ms >= b.block_start.getTime() && ms < b.block_end.getTime();
    // Rentals of a rotating-id feed count by their start, ended or not.
    const truth =
      operators.flatMap((o) => completedTrips(o.id)).filter((t) => inBlock(t.startMs)).length +
      rotating.flatMap((o) => underWayAtEnd(o.id)).filter((t) => inBlock(t.startMs)).length;
    expect({ block: b.block_start, trips: b.trips }).toEqual({
      block: b.block_start,
      trips: truth,
    });
  }
  const flows = await database
    .db('od_flows')
    .where('level', 'MUNICIPALITY')
    .sum<{ trips: string }>('trips as trips')
    .first();
  expect(Number(flows?.trips)).toBeGreaterThan(0);
});

async function overlappingParkEvents(): Promise<number> {
  const { rows } = await database.db.raw<{ rows: { n: number }[] }>(
    `select count(*)::int as n from park_events a join park_events b
        on a.feed_id = b.feed_id and a.vehicle_id = b.vehicle_id and a.id < b.id
       and a.start_time < coalesce(b.end_time, 'infinity')
       and b.start_time < coalesce(a.end_time, 'infinity')`,
  );
  return rows[0]?.n ?? -1;
}

it('joins the history to the live feed: one park event per vehicle at a time, then live imports', async () => {
  const { db } = database;
  expect(await overlappingParkEvents()).toBe(0);
  const { rows } = await db.raw<{ rows: { open: number; listed: number; early: number }[] }>(
    `select (select count(*)::int from park_events where end_time is null) as open,
            (select count(*)::int from vehicle_state where gone_at is null) as listed,
            (select count(*)::int from park_events p join vehicle_state s on s.park_event_id = p.id
              where p.start_time < ?) as early`,
    [new Date(report.toMs)],
  );
  expect(rows[0]!.open).toBe(rows[0]!.listed);
  // Most vehicles were parked before the join: their park events began in the history.
  expect(rows[0]!.early).toBeGreaterThan(rows[0]!.listed / 2);
  expect(report.joinedParkEvents).toBe(rows[0]!.early);

  // The live feed goes on: the real importer at 30 s, until a trip starts after the join (at least
  // 20 minutes; at night, when the simulated city rents little, up to 8 hours).
  const job = createImportFeedsJob({ now: () => simulator.now() });
  const context = {
    db,
    pubsub,
    logger: silentLogger,
    config: TEST_CONFIG,
    tickAt: undefined,
    payload: {},
  };
  const liveTrips = async () => {
    const live = await db('trips')
      .where('start_time', '>', new Date(nowMs))
      .count<{ count: string }[]>('* as count');
    return Number(live[0]?.count);
  };
  for (let i = 1; i <= 960 && (i <= 40 || (await liveTrips()) === 0); i++) {
    simulator.advance(30 * SECOND);
    await job.run(context);
  }
  expect(await overlappingParkEvents()).toBe(0);
  expect(await liveTrips()).toBeGreaterThan(0);
}, 300_000);

it('fills nothing under demo feeds imported before the history existed', async () => {
  // A data folder from before: the demo feeds have import state, no demo_history row.
  await database.db('demo_history').delete();
  expect(await demoHistoryState(database.db)).toBe('DONE');
  await database.db('feed_import_state').delete();
  expect(await demoHistoryState(database.db)).toBe('NONE');
});
