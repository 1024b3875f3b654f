import { createImportFeedsJob } from '../jobs/importer/importFeeds';
import type { FeedType } from '../lib/domain/fleet';
import type { FormFactor } from '../lib/domain/formFactors';
import type { ImporterSettings } from '../jobs/importer/settings';
import type { Config } from '../lib/config';
import type { Db } from '../lib/db';
import type { Logger } from '../lib/logger';
import type { PubSub } from '../lib/pubsub';
import { HOUR, MINUTE } from '../lib/units';
import { createFeedSimulator, type CompletedTrip, type FeedSimulator } from '../simulator';

/**
 * The ground-truth comparison: the real `import_feeds` job reads the simulator's feeds over HTTP
 * for simulated hours while the simulated operators rent, reserve, relocate, rebalance and deploy
 * vehicles and their APIs misbehave as each case scripts; then the trips the importer inferred are
 * compared with the trips the simulator really made. Used by a test (small) and `npm run
 * bench:truth` (bigger).
 */

export interface TruthCase {
  /** Also the simulated operator's id. */
  name: string;
  type: FeedType;
  url: 'gbfs23' | 'gbfs30' | 'mds';
  formFactor: FormFactor;
  /** The simulated operator's ids rotate after each trip. */
  operatorRotates: boolean;
  /** As registered: null follows the feed type's default. */
  rotatingIds: boolean | null;
  /** What happens at a given minute of the run (faults, re-keys, vans). */
  script?: (sim: FeedSimulator, minute: number, name: string) => void;
  /** Whether this case measures trips (stable ids) or rental starts and ends (rotating ids). */
  measure: 'TRIPS' | 'RENTALS';
  /** An outage pattern: every phantom trip of this case counts as an outage phantom trip. */
  outage?: boolean;
}

export interface TruthCaseResult {
  name: string;
  truthTrips: number;
  /** A few missed and phantom trips: vehicle, start and end (UTC). */
  examples: string[];
  matched: number;
  missed: number;
  /**
   * Missed trips the feed could not show: the vehicle was rented again or taken by a van before
   * the first poll after this trip ended, so no snapshot lists it in between (a feed lists no
   * rented or collected vehicle as parked).
   */
  missedUnobservable: number;
  /** Truth trips of that kind, matched or not. */
  unobservable: number;
  phantom: number;
  rentalStarts: number;
  rentalEnds: number;
  truthStarts: number;
  truthEnds: number;
  openTrips: number;
  notices: string[];
  /** The feed's outages: reason and how long, in minutes. */
  outages: string[];
}

export interface TruthOptions {
  db: Db;
  pubsub: PubSub;
  logger: Logger;
  config: Config;
  settings: ImporterSettings;
  cases: TruthCase[];
  vehicles: number;
  hours: number;
  pollMs?: number;
  seed?: number;
  startTime?: string;
  /** Called after every simulated hour (progress). */
  onHour?: (hour: number) => void;
}

/** Rebalancing and deployments on every case: a van every 20 minutes, a deployment hourly. */
export function vans(sim: FeedSimulator, minute: number, name: string): void {
  if (minute % 20 === 10) sim.rebalance(name, 15, 30 * MINUTE);
  if (minute % 60 === 45) sim.deploy(name, 12);
}

const at = (ms: number) => new Date(ms);

export async function runTruth(options: TruthOptions): Promise<TruthCaseResult[]> {
  const { db, cases } = options;
  const pollMs = options.pollMs ?? 30_000;
  const startMs = Date.parse(options.startTime ?? '2026-11-23T13:00:00Z');
  const hidden = new Map<string, number[]>();
  const sim = createFeedSimulator({
    operators: cases.map((c) => ({
      id: c.name,
      name: c.name,
      vehicles: options.vehicles,
      formFactor: c.formFactor,
      rotatingIds: c.operatorRotates,
    })),
    seed: options.seed ?? 11,
    startTime: at(startMs),
    observer: (change) => {
      // When each vehicle went out of the feeds' sight: rented, or taken by a van.
      if (change.happening === 'TRIP_START' || change.happening === 'REBALANCE_PICK_UP') {
        const list = hidden.get(change.deviceId);
        if (list) list.push(change.atMs);
        else hidden.set(change.deviceId, [change.atMs]);
      }
    },
  });
  await sim.start(0, '127.0.0.1');
  try {
    await db('operators')
      .insert(cases.map((c) => ({ id: c.name, name: c.name })))
      .onConflict('id')
      .ignore();
    const feedIds = new Map<string, string>();
    for (const c of cases) {
      const [row] = await db('feeds')
        .insert({
          operator_id: c.name,
          url: sim.feedUrls(c.name)[c.url],
          type: c.type,
          rotating_ids: c.rotatingIds,
        })
        .returning<{ id: string }[]>('id');
      feedIds.set(c.name, row?.id ?? '');
    }
    const job = createImportFeedsJob({ settings: options.settings, now: () => sim.now() });
    const context = {
      db,
      pubsub: options.pubsub,
      logger: options.logger,
      config: options.config,
      tickAt: undefined,
      payload: {},
    };
    const ticks = Math.round((options.hours * 60 * MINUTE) / pollMs);
    const firstTickMs = startMs;
    for (let tick = 0; tick <= ticks; tick++) {
      if (tick > 0) sim.advance(pollMs);
      const elapsedMs = tick * pollMs;
      if (elapsedMs % MINUTE === 0) {
        const minute = elapsedMs / MINUTE;
        for (const c of cases) c.script?.(sim, minute, c.name);
        if (minute > 0 && minute % 60 === 0) options.onHour?.(minute / 60);
      }
      await job.run(context);
    }
    // Trips wholly inside the window: started after the first snapshot, ended by the last.
    const windowStart = firstTickMs + pollMs;
    const windowEnd = firstTickMs + ticks * pollMs;
    // Run the simulation on (unread) until every trip started in the window has ended, so the
    // trips started in it can be counted from the completed ones.
    sim.advance(4 * HOUR);
    const startedIn = (name: string) =>
      sim
        .completedTrips(name, windowStart - pollMs, windowEnd + 4 * HOUR + 1)
        .filter((t) => t.startMs > windowStart - pollMs && t.startMs <= windowEnd).length;
    const results: TruthCaseResult[] = [];
    for (const c of cases) {
      const feedId = feedIds.get(c.name) ?? '';
      const truth = sim
        .completedTrips(c.name, windowStart - pollMs, windowEnd + 1)
        .filter((t) => t.startMs > windowStart - pollMs && t.endMs <= windowEnd);
      const inferred = await db('trips')
        .where({ feed_id: feedId, source: 'INFERRED', status: 'COMPLETED' })
        .where('start_time', '>=', at(windowStart))
        .where('end_time', '<=', at(windowEnd))
        .select<InferredTrip[]>('vehicle_id', 'start_time', 'end_time');
      const nextPoll = (ms: number) =>
        firstTickMs + Math.ceil((ms - firstTickMs) / pollMs) * pollMs;
      const unobservable = (t: CompletedTrip) =>
        (hidden.get(t.deviceId) ?? []).some((s) => s >= t.endMs && s <= nextPoll(t.endMs));
      const compared = compareTrips(truth, inferred, c.url === 'mds', pollMs, unobservable);
      const rentals = await db('rentals')
        .where('feed_id', feedId)
        .whereBetween('at', [at(windowStart), at(windowEnd)])
        .select('kind')
        .count<{ kind: string; count: string }[]>('* as count')
        .groupBy('kind');
      const rentalCount = (kind: string) =>
        Number(rentals.find((r) => r.kind === kind)?.count ?? 0);
      const open = await db('trips')
        .where({ feed_id: feedId, status: 'OPEN' })
        .count<{ count: string }[]>('* as count');
      const health = await db('feed_health')
        .where('feed_id', feedId)
        .first<{ notices: { kind: string }[] } | undefined>('notices');
      const outages = await db('feed_outages')
        .where('feed_id', feedId)
        .orderBy('started_at')
        .select<{ reason: string; started_at: Date; ended_at: Date | null }[]>(
          'reason',
          'started_at',
          'ended_at',
        );
      results.push({
        name: c.name,
        outages: outages.map(
          (o) =>
            `${o.reason} ${Math.round(((o.ended_at ?? at(windowEnd)).getTime() - o.started_at.getTime()) / MINUTE)} min`,
        ),
        truthTrips: truth.length,
        ...compared,
        unobservable: truth.filter(unobservable).length,
        rentalStarts: rentalCount('START'),
        rentalEnds: rentalCount('END'),
        truthStarts: startedIn(c.name),
        truthEnds: sim
          .completedTrips(c.name, windowStart - pollMs + 1, windowEnd + 1)
          .filter((t) => t.endMs > windowStart - pollMs).length,
        openTrips: Number(open[0]?.count ?? 0),
        notices: (health?.notices ?? []).map((n) => n.kind),
      });
    }
    return results;
  } finally {
    await sim.stop();
  }
}

interface InferredTrip {
  vehicle_id: string;
  start_time: Date;
  end_time: Date;
}

/**
 * Per vehicle, each true trip is matched with an inferred trip that ended at the first poll after
 * it (within one poll) and started no later than the first poll after its start (earlier is
 * fine: a reservation hidden from the feed starts the inferred trip at the reservation).
 */
export function compareTrips(
  truth: readonly CompletedTrip[],
  inferred: readonly InferredTrip[],
  byDevice: boolean,
  pollMs: number,
  unobservable: (trip: CompletedTrip) => boolean = () => false,
): {
  matched: number;
  missed: number;
  missedUnobservable: number;
  phantom: number;
  examples: string[];
} {
  const byVehicle = new Map<string, InferredTrip[]>();
  for (const trip of inferred) {
    const list = byVehicle.get(trip.vehicle_id);
    if (list) list.push(trip);
    else byVehicle.set(trip.vehicle_id, [trip]);
  }
  const used = new Set<InferredTrip>();
  let matched = 0;
  let missedUnobservable = 0;
  const examples: string[] = [];
  const time = (ms: number) => new Date(ms).toISOString().slice(11, 19);
  for (const t of truth) {
    const candidates = byVehicle.get(byDevice ? t.deviceId : t.publicId) ?? [];
    const match = candidates.find(
      (i) =>
        !used.has(i) &&
        i.end_time.getTime() >= t.endMs &&
        i.end_time.getTime() <= t.endMs + pollMs &&
        i.start_time.getTime() <= t.startMs + pollMs,
    );
    if (match) {
      used.add(match);
      matched += 1;
      continue;
    }
    if (unobservable(t)) missedUnobservable += 1;
    if (examples.length < 6) {
      examples.push(
        `missed ${byDevice ? t.deviceId : t.publicId} ${time(t.startMs)}-${time(t.endMs)}`,
      );
    }
  }
  for (const i of inferred) {
    if (!used.has(i) && examples.length < 12) {
      examples.push(
        `phantom ${i.vehicle_id} ${time(i.start_time.getTime())}-${time(i.end_time.getTime())}`,
      );
    }
  }
  return {
    matched,
    missed: truth.length - matched,
    missedUnobservable,
    phantom: inferred.length - used.size,
    examples,
  };
}

/** Every case the comparison runs: stable-id feeds, outage patterns, rotating-id feeds. */
export const TRUTH_CASES: TruthCase[] = [
  {
    name: 'stable-gbfs',
    type: 'GBFS3_VEHICLE_STATUS',
    url: 'gbfs30',
    formFactor: 'SCOOTER_STANDING',
    operatorRotates: false,
    rotatingIds: false,
    script: vans,
    measure: 'TRIPS',
  },
  {
    name: 'stable-mds',
    type: 'MDS_VEHICLES',
    url: 'mds',
    formFactor: 'MOPED',
    operatorRotates: false,
    rotatingIds: null,
    script: vans,
    measure: 'TRIPS',
  },
  {
    // An API returning 56 % of the fleet for 16 minutes (issue 11: 140 of 249).
    name: 'partial-gbfs',
    type: 'GBFS3_VEHICLE_STATUS',
    url: 'gbfs30',
    formFactor: 'SCOOTER_STANDING',
    operatorRotates: false,
    rotatingIds: false,
    script: (sim, minute, name) => {
      if (minute === 30) sim.setFaults(name, { missingShare: 0.44 });
      if (minute === 46) sim.setFaults(name, { missingShare: 0 });
    },
    measure: 'TRIPS',
    outage: true,
  },
  {
    name: 'partial-mds',
    type: 'MDS_VEHICLES',
    url: 'mds',
    formFactor: 'MOPED',
    operatorRotates: false,
    rotatingIds: null,
    script: (sim, minute, name) => {
      if (minute === 30) sim.setFaults(name, { missingShare: 0.44 });
      if (minute === 46) sim.setFaults(name, { missingShare: 0 });
    },
    measure: 'TRIPS',
    outage: true,
  },
  {
    // Frozen for 80 minutes, `last_updated` included, then live again.
    name: 'frozen-gbfs',
    type: 'GBFS3_VEHICLE_STATUS',
    url: 'gbfs30',
    formFactor: 'BICYCLE',
    operatorRotates: false,
    rotatingIds: false,
    script: (sim, minute, name) => {
      if (minute === 20) sim.setFaults(name, { frozen: true });
      if (minute === 100) sim.setFaults(name, { frozen: false });
    },
    measure: 'TRIPS',
    outage: true,
  },
  {
    name: 'bad-records-gbfs',
    type: 'GBFS3_VEHICLE_STATUS',
    url: 'gbfs30',
    formFactor: 'BICYCLE',
    operatorRotates: false,
    rotatingIds: false,
    script: (sim, minute, name) => {
      if (minute === 20) sim.setFaults(name, { badRecords: 5 });
      if (minute === 50) sim.setFaults(name, { badRecords: 0 });
    },
    measure: 'TRIPS',
    outage: true,
  },
  {
    // Every id changes at once on a stable-id feed.
    name: 'rekey-gbfs',
    type: 'GBFS3_VEHICLE_STATUS',
    url: 'gbfs30',
    formFactor: 'SCOOTER_STANDING',
    operatorRotates: false,
    rotatingIds: false,
    script: (sim, minute, name) => {
      if (minute === 40) sim.rekey(name);
    },
    measure: 'TRIPS',
    outage: true,
  },
  {
    // Registered with the default: a GBFS feed is read as rotating.
    name: 'rotating-gbfs',
    type: 'GBFS_DISCOVERY',
    url: 'gbfs23',
    formFactor: 'BICYCLE',
    operatorRotates: true,
    rotatingIds: null,
    script: vans,
    measure: 'RENTALS',
  },
  {
    // A rotating feed upgraded: every id and the type id change at once; vans as everywhere.
    name: 'rotating-upgrade',
    type: 'GBFS_DISCOVERY',
    url: 'gbfs23',
    formFactor: 'SCOOTER_STANDING',
    operatorRotates: true,
    rotatingIds: true,
    script: (sim, minute, name) => {
      vans(sim, minute, name);
      if (minute === 40) sim.rekey(name, true);
    },
    measure: 'RENTALS',
  },
];

export interface TruthSummary {
  phantom_pct: number;
  missed_pct: number;
  /** Missed trips no snapshot could show (rented again or collected inside one poll), of the truth. */
  missed_unobservable_pct: number;
  /** Such trips among the stable-id truth trips, matched or not. */
  unobservable_pct: number;
  outage_phantom_trips: number;
  rotating_starts_error_pct: number;
  rotating_ends_error_pct: number;
  stable_truth_trips: number;
  rotating_truth_starts: number;
  rotating_truth_ends: number;
}

const pct = (part: number, whole: number) =>
  whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 100;

/** The figures the targets name, over all cases of each kind. */
export function summarize(cases: readonly TruthCase[], results: readonly TruthCaseResult[]) {
  const of = (pick: (c: TruthCase) => boolean) =>
    results.filter((r) => {
      const c = cases.find((x) => x.name === r.name);
      return c !== undefined && pick(c);
    });
  const stable = of((c) => c.measure === 'TRIPS' && !c.outage);
  const outage = of((c) => c.outage === true);
  const rotating = of((c) => c.measure === 'RENTALS');
  const sum = (list: readonly TruthCaseResult[], key: keyof TruthCaseResult) =>
    list.reduce((total, r) => total + Number(r[key]), 0);
  const truthTrips = sum(stable, 'truthTrips');
  const starts = sum(rotating, 'truthStarts');
  const ends = sum(rotating, 'truthEnds');
  const summary: TruthSummary = {
    phantom_pct: pct(sum(stable, 'phantom'), truthTrips),
    missed_pct: pct(sum(stable, 'missed'), truthTrips),
    missed_unobservable_pct: pct(sum(stable, 'missedUnobservable'), truthTrips),
    unobservable_pct: pct(sum(stable, 'unobservable'), truthTrips),
    outage_phantom_trips: sum(outage, 'phantom'),
    rotating_starts_error_pct: pct(Math.abs(sum(rotating, 'rentalStarts') - starts), starts),
    rotating_ends_error_pct: pct(Math.abs(sum(rotating, 'rentalEnds') - ends), ends),
    stable_truth_trips: truthTrips,
    rotating_truth_starts: starts,
    rotating_truth_ends: ends,
  };
  return summary;
}
