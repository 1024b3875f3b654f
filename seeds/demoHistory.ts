import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { createImporter } from '../jobs/importer/importer';
import { importerSettings } from '../jobs/importer/settings';
import { h3Cell } from '../jobs/importer/store';
import { ZoneLocator } from '../jobs/importer/zoneLocator';
import type { ZoneAssignment } from '../jobs/importer/diff';
import { computeDailyReport } from '../jobs/dailyReport/compute';
import { runOdMatrix } from '../jobs/od/odMatrix';
import { odSettings } from '../jobs/od/settings';
import { computeWindow } from '../jobs/zoneStats/compute';
import type { Config } from '../lib/config';
import type { Db } from '../lib/db';
import { addDays, daysBetween, localDay, zonedInstant } from '../lib/domain/calendar';
import { distanceMeters } from '../lib/geo/distance';
import type { Logger } from '../lib/logger';
import type { PubSub } from '../lib/pubsub';
import { PARTITIONED_TABLES } from '../lib/sql/partitions';
import { TICK_MS } from '../lib/time/buckets';
import { HOUR } from '../lib/units';
import type { CompletedTrip, FeedSimulator, FleetChange } from '../simulator';
import type { DemoFeed } from './demoFeeds';

/**
 * The demo's history: the first `npm start` simulates the last days in accelerated time and writes
 * what the simulated operators really did (their own record of every change, `FleetChange`)
 * straight into the importer's tables, in the importer's vocabulary: a park event from the moment
 * a vehicle is put down until it is rented, relocated or collected; a non-operational period while
 * it is disabled; a completed trip per rental on a stable-id feed (vehicle id as the feed shows
 * it), a rental start and end on a rotating-id feed. Then the real importer takes the feeds'
 * first snapshot, the history's open park events are joined to the ones it opened (one park event
 * per vehicle, from when it really began), and the jobs (zone_stats, daily_report, od_matrix) run
 * over the whole range. Reading 14 days of feeds through the importer every 30 s would take half an
 * hour on a small machine; this takes well under a minute, and the test compares every count with
 * the simulator's own.
 */

export interface HistoryProgress {
  phase: 'simulate' | 'zone_stats' | 'daily_report' | 'od_matrix';
  done: number;
  total: number;
  unit: string;
}

export interface HistoryCounts {
  parkEvents: number;
  trips: number;
  rentals: number;
  nonOperational: number;
}

/** feed_id, operator_id, form_factor, vehicle_type_id of a row. */
interface Owner {
  feed_id: string;
  operator_id: string;
  form_factor: string;
  vehicle_type_id: string;
}

interface OpenPark {
  owner: Owner;
  id: string;
  vehicleId: string;
  startMs: number;
  lat: number;
  lng: number;
  observed: boolean;
}

interface OpenPeriod {
  owner: Owner;
  id: string;
  vehicleId: string;
  startMs: number;
  lat: number;
  lng: number;
}

interface VehicleRecord {
  park: OpenPark | null;
  nonOp: OpenPeriod | null;
}

type Row = Record<string, unknown>;

const INSERT_BATCH = 1000;
const DAY = 24 * HOUR;

export type DemoHistoryState = 'NONE' | 'FILLED' | 'JOINED' | 'DONE';

/**
 * How far an earlier start got: nothing, the history written, joined to the live feeds, or
 * the jobs run over it too (done; also when the demo feeds were imported without a history).
 */
export async function demoHistoryState(db: Db): Promise<DemoHistoryState> {
  const row = await db('demo_history').first<
    { joined_at: Date | null; caught_up_at: Date | null } | undefined
  >('joined_at', 'caught_up_at');
  if (!row) {
    // Demo feeds imported before (a data folder from before the history existed): their events
    // are there already, and a history under them would overlap. Nothing is filled.
    const imported = await db('feed_import_state as s')
      .join('feeds as f', 'f.id', 's.feed_id')
      .where('f.demo', true)
      .first<{ feed_id: string } | undefined>('s.feed_id');
    return imported ? 'DONE' : 'NONE';
  }
  if (row.caught_up_at) return 'DONE';
  return row.joined_at ? 'JOINED' : 'FILLED';
}

/** The first instant of the local day `days` days before today: whole days for the daily report. */
export function historyStart(nowMs: number, days: number, timeZone: string): number {
  return zonedInstant(
    addDays(localDay(new Date(nowMs), timeZone), -days),
    '00:00',
    timeZone,
  ).getTime();
}

/**
 * Turns the simulator's changes into rows. Changes are kept until the demo feeds are known (the
 * fleet is deployed before the simulator's server has a port for the feed URLs).
 */
export class HistoryRecorder {
  private readonly pending: FleetChange[] = [];
  private readonly vehicles = new Map<string, VehicleRecord>();
  private feeds: Map<string, DemoFeed> | undefined;
  private readonly rows = {
    park_events: [] as Row[],
    trips: [] as Row[],
    rentals: [] as Row[],
    non_operational_periods: [] as Row[],
  };
  readonly counts: HistoryCounts = { parkEvents: 0, trips: 0, rentals: 0, nonOperational: 0 };

  constructor(
    private readonly fromMs: number,
    private readonly locate: (lat: number, lng: number) => ZoneAssignment,
  ) {}

  /** For the simulator's `observer` option. */
  readonly observe = (change: FleetChange): void => {
    if (this.feeds) this.apply(change);
    else this.pending.push(change);
  };

  setFeeds(feeds: readonly DemoFeed[]): void {
    this.feeds = new Map(feeds.map((f) => [f.operatorId, f]));
    for (const change of this.pending.splice(0)) this.apply(change);
  }

  private feed(operatorId: string): DemoFeed {
    const feed = this.feeds?.get(operatorId);
    if (!feed) throw new Error(`no demo feed for simulated operator ${operatorId}`);
    return feed;
  }

  private owner(change: FleetChange, feed: DemoFeed): Owner {
    return {
      feed_id: feed.feedId,
      operator_id: change.operatorId,
      form_factor: change.formFactor,
      vehicle_type_id: change.vehicleTypeId,
    };
  }

  private apply(change: FleetChange): void {
    const feed = this.feed(change.operatorId);
    const key = `${change.operatorId}/${change.deviceId}`;
    let vehicle = this.vehicles.get(key);
    if (!vehicle) {
      vehicle = { park: null, nonOp: null };
      this.vehicles.set(key, vehicle);
    }
    // MDS feeds name a vehicle by device id, GBFS feeds by the id the public sees (it rotates).
    const vehicleId = feed.type === 'MDS_VEHICLES' ? change.deviceId : change.publicId;
    const owner = this.owner(change, feed);
    const openPark = () => {
      vehicle.park = {
        owner,
        id: randomUUID(),
        vehicleId,
        startMs: change.atMs,
        lat: change.lat,
        lng: change.lng,
        // The fleet as it stood when the history begins was found there, not seen arriving.
        observed: change.atMs > this.fromMs,
      };
    };
    const closePark = (reason: 'RENTAL' | 'RELOCATION' | 'REMOVED') => {
      if (vehicle.park) this.parkRow(vehicle.park, change.atMs, reason);
      vehicle.park = null;
    };
    switch (change.happening) {
      case 'DEPLOYED':
      case 'REBALANCE_DROP_OFF':
        closePark('RELOCATION');
        return openPark();
      case 'RELOCATED':
        closePark('RELOCATION');
        return openPark();
      case 'REBALANCE_PICK_UP':
        return closePark('REMOVED');
      case 'TRIP_START':
        closePark('RENTAL');
        if (feed.rotatingIds) this.rentalRow(change, owner, vehicleId, 'START');
        return;
      case 'TRIP_END': {
        const trip = change.completedTrip;
        if (!trip) throw new Error(`TRIP_END of ${change.deviceId} without its trip`);
        if (feed.rotatingIds) this.rentalRow(change, owner, vehicleId, 'END');
        else
          this.tripRow(trip, owner, feed.type === 'MDS_VEHICLES' ? trip.deviceId : trip.publicId);
        return openPark();
      }
      case 'DISABLED':
        vehicle.nonOp = {
          owner,
          id: randomUUID(),
          vehicleId,
          startMs: change.atMs,
          lat: change.lat,
          lng: change.lng,
        };
        return;
      case 'REPAIRED':
        if (vehicle.nonOp) this.nonOpRow(vehicle.nonOp, change.atMs);
        vehicle.nonOp = null;
        return;
      case 'RESERVATION_START':
      case 'RESERVATION_CANCEL':
        // Reserved or hidden by a reservation, the vehicle stays where it is parked.
        return;
    }
  }

  private zoneColumns(lat: number, lng: number) {
    const zones = this.locate(lat, lng);
    return { zone_ids: [...zones.zoneIds], municipality_code: zones.municipalityCode };
  }

  private parkRow(park: OpenPark, endMs: number | null, reason: string | null): void {
    this.rows.park_events.push({
      id: park.id,
      ...park.owner,
      vehicle_id: park.vehicleId,
      lat: park.lat,
      lng: park.lng,
      h3_cell: h3Cell(park.lat, park.lng),
      ...this.zoneColumns(park.lat, park.lng),
      start_time: new Date(park.startMs),
      end_time: endMs === null ? null : new Date(endMs),
      end_reason: reason,
      start_observed: park.observed,
    });
    this.counts.parkEvents += 1;
  }

  private nonOpRow(period: OpenPeriod, endMs: number | null): void {
    this.rows.non_operational_periods.push({
      id: period.id,
      ...period.owner,
      vehicle_id: period.vehicleId,
      lat: period.lat,
      lng: period.lng,
      ...this.zoneColumns(period.lat, period.lng),
      start_time: new Date(period.startMs),
      end_time: endMs === null ? null : new Date(endMs),
    });
    this.counts.nonOperational += 1;
  }

  private rentalRow(change: FleetChange, owner: Owner, vehicleId: string, kind: 'START' | 'END') {
    this.rows.rentals.push({
      id: randomUUID(),
      ...owner,
      vehicle_id: vehicleId,
      kind,
      at: new Date(change.atMs),
      lat: change.lat,
      lng: change.lng,
      h3_cell: h3Cell(change.lat, change.lng),
      ...this.zoneColumns(change.lat, change.lng),
    });
    this.counts.rentals += 1;
  }

  private tripRow(trip: CompletedTrip, owner: Owner, vehicleId: string): void {
    const start = this.locate(trip.startLat, trip.startLng);
    const end = this.locate(trip.endLat, trip.endLng);
    this.rows.trips.push({
      id: randomUUID(),
      ...owner,
      vehicle_id: vehicleId,
      source: 'INFERRED',
      external_id: null,
      status: 'COMPLETED',
      start_time: new Date(trip.startMs),
      end_time: new Date(trip.endMs),
      start_lat: trip.startLat,
      start_lng: trip.startLng,
      end_lat: trip.endLat,
      end_lng: trip.endLng,
      start_h3_cell: h3Cell(trip.startLat, trip.startLng),
      end_h3_cell: h3Cell(trip.endLat, trip.endLng),
      start_zone_ids: [...start.zoneIds],
      end_zone_ids: [...end.zoneIds],
      municipality_code: start.municipalityCode,
      end_municipality_code: end.municipalityCode,
      // What the importer records: the straight line between where it left and where it stands.
      distance_meters: Math.round(
        distanceMeters(trip.startLat, trip.startLng, trip.endLat, trip.endLng),
      ),
    });
    this.counts.trips += 1;
  }

  /**
   * The park events and non-operational periods still open at the end of the history, as open
   * rows (the live importer takes them over, see joinLiveFeeds).
   */
  finish(): void {
    for (const vehicle of this.vehicles.values()) {
      if (vehicle.park) this.parkRow(vehicle.park, null, null);
      if (vehicle.nonOp) this.nonOpRow(vehicle.nonOp, null);
    }
    this.vehicles.clear();
  }

  /** Writes the rows collected so far. */
  async flush(trx: Knex.Transaction): Promise<void> {
    for (const [table, rows] of Object.entries(this.rows)) {
      for (let i = 0; i < rows.length; i += INSERT_BATCH) {
        await trx(table).insert(rows.slice(i, i + INSERT_BATCH));
      }
      rows.length = 0;
    }
  }
}

export interface HandOverOptions {
  db: Db;
  pubsub: PubSub;
  logger: Logger;
  config: Config;
  feeds: readonly DemoFeed[];
  /** The wall clock: the history runs up to it, and the live feed goes on from there. */
  now?: () => number;
  onProgress?: (progress: HistoryProgress) => void;
  /**
   * Called once the live feeds took over, before the jobs' catch-up: the simulator's clock should
   * follow the wall clock from here, or it falls behind by as long as the catch-up takes.
   */
  onJoined?: () => void;
}

export interface DemoHistoryOptions extends HandOverOptions {
  /** The simulator, created with `startTime: fromMs` and the recorder's `observe`. */
  simulator: FeedSimulator;
  recorder: HistoryRecorder;
  fromMs: number;
  seed: number;
  vehicles: number;
  /** Called at every 5-minute tick of simulated time (tests sample the simulator's truth). */
  onTick?: (ms: number) => void;
}

export interface DemoHistoryReport extends HistoryCounts {
  fromMs: number;
  toMs: number;
  /** The history's open park events the live importer took over. */
  joinedParkEvents: number;
  seconds: number;
}

/** The zones the recorder assigns, loaded as the importer loads them. */
export async function createHistoryRecorder(db: Db, fromMs: number): Promise<HistoryRecorder> {
  const zones = new ZoneLocator(db);
  await zones.refresh();
  return new HistoryRecorder(fromMs, zones.locate);
}

/**
 * Simulates from `fromMs` up to now, writes the history in one transaction with its
 * `demo_history` row, hands over to the live feeds, and runs the jobs over the range.
 */
export async function fillDemoHistory(options: DemoHistoryOptions): Promise<DemoHistoryReport> {
  const { db, simulator, recorder, fromMs } = options;
  const now = options.now ?? Date.now;
  const progress = options.onProgress ?? (() => undefined);
  const started = performance.now();
  recorder.setFeeds(options.feeds);
  const months = Math.ceil((now() - fromMs) / (28 * DAY)) + 2;
  for (const table of PARTITIONED_TABLES) {
    await db.raw('select ensure_monthly_partitions(?, ?::timestamptz, ?)', [
      table,
      new Date(fromMs),
      months,
    ]);
  }
  const totalDays = Math.max(1, Math.ceil((now() - fromMs) / DAY));
  await db.transaction(async (trx) => {
    let reportedDay = 0;
    // The clock moves on while the history is simulated: run until the simulation caught up.
    for (let target = now(); simulator.now().getTime() < target - 1000; target = now()) {
      while (simulator.now().getTime() < target) {
        const at = simulator.now().getTime();
        const nextTick = at - (at % TICK_MS) + TICK_MS;
        simulator.advance(Math.min(nextTick, target) - at);
        if (simulator.now().getTime() === nextTick) options.onTick?.(nextTick);
        const day = Math.floor((simulator.now().getTime() - fromMs) / DAY);
        if (day > reportedDay) {
          reportedDay = day;
          await recorder.flush(trx);
          progress({ phase: 'simulate', done: day, total: totalDays, unit: 'days' });
        }
      }
    }
    recorder.finish();
    await recorder.flush(trx);
    progress({ phase: 'simulate', done: totalDays, total: totalDays, unit: 'days' });
    await trx('demo_history').insert({
      from_time: new Date(fromMs),
      to_time: simulator.now(),
      seed: options.seed,
      vehicles: options.vehicles,
      park_events: recorder.counts.parkEvents,
      trips: recorder.counts.trips,
      rentals: recorder.counts.rentals,
    });
  });
  const toMs = simulator.now().getTime();
  const joinedParkEvents = await finishDemoHistory(options, 'FILLED');
  return {
    ...recorder.counts,
    fromMs,
    toMs,
    joinedParkEvents,
    seconds: Math.round((performance.now() - started) / 100) / 10,
  };
}

/**
 * The steps after the history is written, from where an earlier start stopped: the live feeds'
 * first snapshot read by the real importer and joined to the history, then the jobs over the
 * history's range. Returns how many open park events the live feeds took over.
 */
export async function finishDemoHistory(
  options: HandOverOptions,
  state: 'FILLED' | 'JOINED',
): Promise<number> {
  const { db } = options;
  const now = options.now ?? Date.now;
  let joined = 0;
  if (state === 'FILLED') {
    const importer = createImporter({
      db,
      pubsub: options.pubsub,
      logger: options.logger,
      settings: importerSettings(options.config),
      now: () => new Date(now()),
    });
    await importer.tick(options.logger);
    joined = await joinLiveFeeds(db, options.feeds);
  }
  options.onJoined?.();
  const row = await db('demo_history').first<{ from_time: Date }>('from_time');
  await catchUpJobs(options, row.from_time.getTime(), now());
  await db('demo_history').update({ caught_up_at: db.fn.now() });
  return joined;
}

/**
 * One park event per vehicle across the join: the importer opened one at its first snapshot for
 * every vehicle it lists (starting then, or when the feed says it last reported, to the second,
 * where the feed shows it, a reservation's few metres of drift included). Where the history has
 * an open one for the same vehicle, that one is the truth (exact start and place): the importer's
 * state is pointed at it and the importer's copy goes. The same for non-operational periods. A
 * history event the importer does not list (a vehicle hidden by a reservation at that moment)
 * ends at the snapshot, as if the vehicle had been removed; the importer sees it again when it is
 * listed. Idempotent: a start that stopped before the join finished runs it again.
 */
export async function joinLiveFeeds(db: Db, feeds: readonly DemoFeed[]): Promise<number> {
  const feedIds = feeds.map((f) => f.feedId);
  return db.transaction(async (trx) => {
    const parks = await trx.raw<{
      rows: {
        feed_id: string;
        vehicle_id: string;
        id: string;
        start: Date;
        lat: number;
        lng: number;
        park_id: string;
        park_start: Date;
      }[];
    }>(
      `select s.feed_id, s.vehicle_id, h.id, h.start_time as start, h.lat, h.lng,
              s.park_event_id as park_id, s.park_start
         from vehicle_state s
         join park_events h on h.feed_id = s.feed_id and h.vehicle_id = s.vehicle_id
          and h.end_time is null and h.id <> s.park_event_id
        where s.feed_id = any(?) and s.gone_at is null`,
      [feedIds],
    );
    for (const p of parks.rows) {
      await trx('park_events').where({ id: p.park_id, start_time: p.park_start }).delete();
      await trx('vehicle_state')
        .where({ feed_id: p.feed_id, vehicle_id: p.vehicle_id })
        .update({ park_event_id: p.id, park_start: p.start, park_lat: p.lat, park_lng: p.lng });
    }
    const periods = await trx.raw<{
      rows: {
        feed_id: string;
        vehicle_id: string;
        id: string;
        start: Date;
        period_id: string;
        period_start: Date;
      }[];
    }>(
      `select s.feed_id, s.vehicle_id, h.id, h.start_time as start,
              s.non_op_id as period_id, s.non_op_start as period_start
         from vehicle_state s
         join non_operational_periods h on h.feed_id = s.feed_id and h.vehicle_id = s.vehicle_id
          and h.end_time is null and h.id <> s.non_op_id
        where s.feed_id = any(?) and s.gone_at is null`,
      [feedIds],
    );
    for (const p of periods.rows) {
      await trx('non_operational_periods')
        .where({ id: p.period_id, start_time: p.period_start })
        .delete();
      await trx('vehicle_state')
        .where({ feed_id: p.feed_id, vehicle_id: p.vehicle_id })
        .update({ non_op_id: p.id, non_op_start: p.start });
    }
    // What the importer does not know: ended at its first snapshot.
    await trx.raw(
      `update park_events p set end_time = greatest(p.start_time, f.at), end_reason = 'REMOVED'
         from (select feed_id, last_snapshot_at as at from feed_import_state) f
        where f.feed_id = p.feed_id and p.feed_id = any(?) and p.end_time is null
          and not exists (select 1 from vehicle_state s where s.park_event_id = p.id)`,
      [feedIds],
    );
    await trx.raw(
      `update non_operational_periods p set end_time = greatest(p.start_time, f.at)
         from (select feed_id, last_snapshot_at as at from feed_import_state) f
        where f.feed_id = p.feed_id and p.feed_id = any(?) and p.end_time is null
          and not exists (select 1 from vehicle_state s where s.non_op_id = p.id)`,
      [feedIds],
    );
    await trx('demo_history').update({ joined_at: trx.fn.now() });
    return parks.rows.length;
  });
}

/** zone_stats, daily_report and od_matrix over the history, as their catch-up would run them. */
async function catchUpJobs(options: HandOverOptions, fromMs: number, nowMs: number) {
  const { db, config, logger } = options;
  const progress = options.onProgress ?? (() => undefined);
  const timeZone = config.ZONE_STATS_TIME_ZONE;
  const firstTick = fromMs - (fromMs % TICK_MS);
  const lastTick = nowMs - (nowMs % TICK_MS);
  const chunkMs = 3 * HOUR;
  const chunks = Math.ceil((lastTick - firstTick + TICK_MS) / chunkMs);
  for (let i = 0, start = firstTick; start <= lastTick; i++, start += chunkMs) {
    await computeWindow(db, start, Math.min(lastTick, start + chunkMs - TICK_MS), timeZone);
    if ((i + 1) % 8 === 0 || start + chunkMs > lastTick) {
      progress({ phase: 'zone_stats', done: i + 1, total: chunks, unit: '3-hour windows' });
    }
  }

  const reportZone = config.DAILY_REPORT_TIME_ZONE;
  const days = daysBetween(
    localDay(new Date(fromMs), reportZone),
    addDays(localDay(new Date(nowMs), reportZone), -1),
  );
  for (const [i, day] of days.entries()) {
    await computeDailyReport(db, day, reportZone);
    progress({ phase: 'daily_report', done: i + 1, total: days.length, unit: 'days' });
  }

  const settings = {
    ...odSettings(config),
    catchUpDays: Math.max(config.OD_CATCH_UP_DAYS, Math.ceil((nowMs - fromMs) / DAY) + 1),
  };
  let blocks = 0;
  for (;;) {
    const run = await runOdMatrix(db, settings, logger, new Date(nowMs));
    blocks += run.blocks;
    progress({ phase: 'od_matrix', done: blocks, total: blocks + run.remaining, unit: 'blocks' });
    if (run.remaining === 0 || run.blocks === 0) break;
  }
}
