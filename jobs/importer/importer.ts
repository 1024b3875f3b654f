import { randomUUID } from 'node:crypto';
import type { Db } from '../../lib/db';
import { channels } from '../../lib/domain/channels';
import type { Logger } from '../../lib/logger';
import { type PubSub } from '../../lib/pubsub';
import { PARTITIONED_TABLES, PartitionKeeper, STATION_TABLES } from '../../lib/sql/partitions';
import {
  countEvents,
  diffSnapshot,
  emptyEvents,
  isVehicleDrop,
  presentCount,
  type Locate,
  type OpenRef,
  type VehicleState,
  type ZoneAssignment,
} from './diff';
import { readFeed, ReadMemo, type ReadOptions, type ReadStages } from '../../lib/feeds';
import type { FeedConfig, FeedReadResult, FeedSnapshot } from '../../lib/feeds/types';
import type { ImporterSettings } from './settings';
import {
  commitFeed,
  loadActiveFeeds,
  loadFeedState,
  loadRetiredFeeds,
  claimFeeds,
  releaseFeeds,
  type FeedCommit,
  type FeedNotice,
  type FeedStatus,
  type FeedWatch,
  type HealthError,
  type HealthStatus,
} from './store';
import { HOUR, MINUTE } from '../../lib/units';
import { WORKER_ALIVE_MS } from '../runner';
import { ZoneLocator } from './zoneLocator';

export type FeedReader = (feed: FeedConfig, options: ReadOptions) => Promise<FeedReadResult>;

/** A read's outcome; a reader that throws (a bug, not a feed problem) is an INTERNAL failure. */
type ReadOutcome = FeedReadResult | { ok: false; error: HealthError };

export interface ImporterOptions {
  db: Db;
  pubsub: PubSub;
  logger: Logger;
  settings: ImporterSettings;
  /** The clock: a snapshot's fetch time, a failure's time. */
  now?: () => Date;
  read?: FeedReader;
  /** Names this importer in feed leases (`feed_import_state.lease_owner`): its runner's id. */
  owner?: string;
}

/**
 * - ACCEPTED: the snapshot was diffed and its events written.
 * - DOWN: the read failed; no events, health and outage recorded.
 * - VEHICLE_DROP: most vehicles vanished at once; treated as an outage.
 * - EMPTY: the feed listed no vehicle, not yet believed (see IMPORTER_DROP_ACCEPT_AFTER_MS).
 * - STALE: the feed's own `last_updated` is too old: nothing in it is taken as current.
 * - SKIPPED: not newer than the last accepted snapshot (a retried tick, a stale cached copy, or
 *   another process imported the feed at the same time): nothing is written.
 * - RETIRED: the feed was switched off; its listed vehicles' park events end (OUTAGE, no trips).
 * - BUSY: another importer holds the feed's lease (it is importing it now): not read.
 */
export type FeedOutcome =
  'ACCEPTED' | 'DOWN' | 'VEHICLE_DROP' | 'EMPTY' | 'STALE' | 'SKIPPED' | 'RETIRED' | 'BUSY';

export interface FeedTickReport {
  feedId: string;
  outcome: FeedOutcome;
  /** Set when the snapshot was reconciled (first snapshot, after an outage or a long gap). */
  reconciledFrom: Date | null;
  vehicles: number;
  /** Vehicles whose state changed (new, gone, moved, flags). */
  changedVehicles: number;
  events: number;
  /** The read: `fetchMs` + `parseMs` + validating, checking and normalising the documents. */
  readMs: number;
  fetchMs: number;
  parseMs: number;
  /** Diffing with the previous state, without `zonesMs` (zone lookups of moved vehicles). */
  diffMs: number;
  zonesMs: number;
  commitMs: number;
  /** The feed's state was loaded from the database (not in this process's memory). */
  stateLoaded: boolean;
}

export interface TickReport {
  at: Date;
  feeds: FeedTickReport[];
  /** Vehicles listed by the feeds whose snapshot was accepted. */
  vehicles: number;
  events: number;
}

export interface Importer {
  /**
   * Reads every active feed, diffs, and commits each feed's events in one transaction; then
   * publishes `vehicles.updated`.
   */
  tick(logger?: Logger): Promise<TickReport>;
  /** The same for some feeds (one job of a fanned-out tick), without publishing. */
  importFeeds(feedIds: readonly string[], logger?: Logger): Promise<TickReport>;
}

interface FeedCache {
  status: FeedStatus;
  vehicles: Map<string, VehicleState>;
  /** How many of `vehicles` are listed (not gone). */
  present: number;
  vehicleTypesKey: string | null;
  systemName: string | null;
}

interface FeedPlan {
  zonesMs: number;
  outcome: FeedOutcome;
  reconciledFrom: Date | null;
  commit: FeedCommit;
  vehicleTypesKey: string | null;
}

/**
 * After the zones changed: the zones of every vehicle's position (only the changed states are
 * returned) and of every open park event (all of them; the SQL skips the unchanged).
 */
function reassignZones(
  vehicles: ReadonlyMap<string, VehicleState>,
  locate: Locate,
): { states: VehicleState[]; parks: (OpenRef & { zones: ZoneAssignment })[] } {
  const same = (a: ZoneAssignment, b: ZoneAssignment) =>
    a.municipalityCode === b.municipalityCode &&
    a.zoneIds.length === b.zoneIds.length &&
    a.zoneIds.every((id, i) => b.zoneIds[i] === id);
  const states: VehicleState[] = [];
  const parks: (OpenRef & { zones: ZoneAssignment })[] = [];
  for (const state of vehicles.values()) {
    const zones = locate(state.lat, state.lng);
    if (!same(zones, state.zones)) states.push({ ...state, zones });
    const park = state.park;
    if (park && !state.gone) {
      const parkZones =
        park.lat === state.lat && park.lng === state.lng ? zones : locate(park.lat, park.lng);
      parks.push({ id: park.id, startTime: park.startTime, zones: parkZones });
    }
  }
  return { states, parks };
}

/** Notices about something that happened once, shown for a day (the others describe the snapshot). */
const EVENT_NOTICES = new Set<FeedNotice['kind']>([
  'PARTIAL_OUTAGE',
  'IDS_CHANGED',
  'ROTATING_IDS_DETECTED',
]);
const NOTICE_KEPT_MS = 24 * HOUR;
/** New ids seen one by one before a stable-id feed's id mode is judged ... */
const ROTATING_SAMPLE = 20;
/** ... and rotating when fewer than this share of that many came back under their own id. */
const ROTATING_RETURN_SHARE = 0.25;

function watchOf(status: FeedStatus): FeedWatch {
  return {
    newIds: status.newIds,
    returnedIds: status.returnedIds,
    rotatingDetectedAt: status.rotatingDetectedAt,
    emptySince: status.emptySince,
    churn: status.churn,
  };
}

/** Weight of one snapshot in the feed's churn average (about the last 100 snapshots count). */
const CHURN_WEIGHT = 0.01;

/** `3 h 20 min`, `14 d 2 h`, `45 s` */
export function describeAge(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** Not newer than the last accepted snapshot (by the importer's clock or the feed's own). */
function isStale(status: FeedStatus, snapshot: FeedSnapshot): boolean {
  if (status.lastSnapshotAt && snapshot.fetchedAt <= status.lastSnapshotAt) return true;
  return (
    snapshot.lastUpdatedAt !== null &&
    status.lastFeedUpdatedAt !== null &&
    snapshot.lastUpdatedAt < status.lastFeedUpdatedAt
  );
}

function healthStatusOf(commit: FeedCommit): HealthStatus | null {
  if (!commit.health) return null;
  return commit.health.ok ? 'OK' : commit.health.status;
}

export function createImporter(options: ImporterOptions): Importer {
  const { db, pubsub, settings } = options;
  const now = options.now ?? (() => new Date());
  const read = options.read ?? readFeed;
  const zones = new ZoneLocator(db);
  const partitions = new PartitionKeeper(db);
  /** Each feed's committed state, as of its `status.version`; dropped on any failure. */
  const caches = new Map<string, FeedCache>();
  /**
   * Each feed's records of its last read, so the next parses and validates only what changed
   * (see ListMemo). They say what a byte string parses and validates to, whatever became of
   * the snapshot, so they outlive a failed commit; a feed no longer active drops its memo.
   */
  const memos = new Map<string, ReadMemo>();
  const memoFor = (feedId: string): ReadMemo => {
    let memo = memos.get(feedId);
    if (!memo) {
      memo = new ReadMemo();
      memos.set(feedId, memo);
    }
    return memo;
  };

  const cacheFor = async (feedId: string): Promise<FeedCache> => {
    const cached = caches.get(feedId);
    if (cached) return cached;
    const { status, vehicles } = await loadFeedState(db, feedId);
    const cache = {
      status,
      vehicles,
      present: presentCount(vehicles.values()),
      vehicleTypesKey: null,
      systemName: null,
    };
    caches.set(feedId, cache);
    return cache;
  };

  /** Where a snapshot taken at `at` must be reconciled from, or null for a normal diff. */
  const reconcileFrom = (status: FeedStatus, snapshot: FeedSnapshot): Date | null => {
    const at = snapshot.fetchedAt;
    const last = status.lastSnapshotAt;
    if (!last) return at;
    // The feed's own clock jumped further than the importer's (a feed frozen, then caught up):
    // what changed in between happened at unknown moments.
    const feedGap =
      snapshot.lastUpdatedAt !== null &&
      status.lastFeedUpdatedAt !== null &&
      snapshot.lastUpdatedAt.getTime() - status.lastFeedUpdatedAt.getTime() > settings.maxGapMs;
    if (at.getTime() - last.getTime() <= settings.maxGapMs && !feedGap) return null;
    const outage = status.outageStartedAt;
    return outage && outage > last ? outage : last;
  };

  /** The notices of this commit: fresh ones, and event notices of the last day not renewed. */
  const noticesFor = (
    status: FeedStatus,
    at: Date,
    fresh: FeedNotice[],
    rotatingDetectedAt: Date | null,
  ): FeedNotice[] => {
    const kinds = new Set(fresh.map((n) => n.kind));
    const kept = status.notices.filter(
      (n) =>
        !kinds.has(n.kind) &&
        EVENT_NOTICES.has(n.kind) &&
        (n.kind === 'ROTATING_IDS_DETECTED'
          ? rotatingDetectedAt !== null
          : at.getTime() - Date.parse(n.at) < NOTICE_KEPT_MS),
    );
    return [...fresh, ...kept];
  };

  const plan = (
    feed: FeedConfig,
    cache: FeedCache,
    result: ReadOutcome,
    zoneVersion: string,
    readMs: number,
  ): FeedPlan => {
    let zonesMs = 0;
    const locate: Locate = (lat, lng) => {
      const started = performance.now();
      const zoneAssignment = zones.locate(lat, lng);
      zonesMs += performance.now() - started;
      return zoneAssignment;
    };
    return { ...planFeed(feed, cache, result, zoneVersion, readMs, locate), zonesMs };
  };

  const planFeed = (
    feed: FeedConfig,
    cache: FeedCache,
    result: ReadOutcome,
    zoneVersion: string,
    readMs: number,
    locate: Locate,
  ): Omit<FeedPlan, 'zonesMs'> => {
    const { status } = cache;
    let previous: ReadonlyMap<string, VehicleState> = cache.vehicles;
    let reassigned: VehicleState[] = [];
    let parkZones: FeedCommit['parkZones'] = [];
    if (status.zoneVersion !== zoneVersion) {
      const changed = reassignZones(cache.vehicles, locate);
      reassigned = changed.states;
      parkZones = changed.parks;
      if (reassigned.length > 0) {
        const copy = new Map(cache.vehicles);
        for (const state of reassigned) copy.set(state.vehicleId, state);
        previous = copy;
      }
    }
    const base = {
      feed,
      expectedVersion: status.version,
      snapshot: null,
      events: emptyEvents(),
      upserts: reassigned,
      deletes: [],
      parkZones,
      zoneVersion,
      lowCountSince: status.lowCountSince,
      vehicleTypes: null,
      systemName: null,
      watch: null,
    };
    const unchanged = { reconciledFrom: null, vehicleTypesKey: cache.vehicleTypesKey };

    if (!result.ok) {
      const { kind, message, url, path } = result.error;
      return {
        ...unchanged,
        outcome: 'DOWN',
        commit: {
          ...base,
          at: now(),
          health: {
            ok: false,
            status: 'DOWN',
            error: { kind, message, url, path },
            durationMs: readMs,
            meta: null,
          },
        },
      };
    }
    const snapshot = result.snapshot;
    const at = snapshot.fetchedAt;
    const count = snapshot.vehicles.length;
    const quarantine = snapshot.quarantined ?? [];
    const meta = {
      lastUpdatedAt: snapshot.lastUpdatedAt,
      ttlSeconds: snapshot.ttlSeconds ?? null,
      version: snapshot.feedVersion ?? null,
    };
    if (isStale(status, snapshot)) {
      return {
        ...unchanged,
        outcome: 'SKIPPED',
        commit: { ...base, at, health: null },
      };
    }
    const refuse = (
      outcome: FeedOutcome,
      healthStatus: 'DOWN' | 'STALE',
      error: HealthError,
      extra: Partial<FeedCommit> = {},
    ): Omit<FeedPlan, 'zonesMs'> => ({
      ...unchanged,
      outcome,
      commit: {
        ...base,
        at,
        ...extra,
        health: { ok: false, status: healthStatus, error, durationMs: readMs, meta },
      },
    });

    // The feed's own time says the data is old: a frozen feed, its vehicles not believed.
    const ageMs = snapshot.lastUpdatedAt ? at.getTime() - snapshot.lastUpdatedAt.getTime() : 0;
    if (snapshot.lastUpdatedAt && ageMs > settings.staleAfterMs) {
      const message = `last_updated is ${snapshot.lastUpdatedAt.toISOString()}, ${describeAge(ageMs)} before it was read (more than ${describeAge(settings.staleAfterMs)}): the feed is frozen, nothing in it is taken as current`;
      return refuse('STALE', 'STALE', {
        kind: 'STALE',
        message,
        url: feed.url,
        path: 'last_updated',
      });
    }

    // Most records bad: the feed itself is broken, not a few of its vehicles.
    const firstBad = quarantine[0];
    if (firstBad && quarantine.length > settings.quarantineMaxRatio * (count + quarantine.length)) {
      const message = `${quarantine.length} of ${count + quarantine.length} vehicles have bad records, e.g. ${firstBad.reason}`;
      return refuse('DOWN', 'DOWN', {
        kind: 'INVALID_DATA',
        message,
        url: feed.url,
        path: firstBad.path,
      });
    }

    let from: Date | null;
    const previousCount = cache.present;
    let emptySince: Date | null = null;
    let emptyAccepted = false;
    if (count === 0 && quarantine.length === 0 && previousCount > 0) {
      // Empty: a seasonal shutdown, or an outage. Believed at the administrator's word, or
      // once it lasted the confirmation period; until then the previous snapshot stays.
      emptySince = status.emptySince ?? at;
      const waited = at.getTime() - emptySince.getTime();
      if (!feed.expectEmpty && waited < settings.acceptDropAfterMs) {
        const message = `the feed lists no vehicles (since ${emptySince.toISOString()}); kept the previous ${previousCount} until it has been empty for ${describeAge(settings.acceptDropAfterMs)} or an administrator sets expectEmpty`;
        const watch = { ...watchOf(status), emptySince };
        return refuse(
          'EMPTY',
          'DOWN',
          { kind: 'EMPTY', message, url: feed.url, path: null },
          { watch },
        );
      }
      emptyAccepted = true;
      from = feed.expectEmpty ? at : emptySince;
    } else if (isVehicleDrop(previousCount, count, settings)) {
      const lowCountSince = status.lowCountSince ?? at;
      if (at.getTime() - lowCountSince.getTime() < settings.acceptDropAfterMs) {
        const percent = Math.round(settings.dropRatio * 100);
        const message = `${count} vehicles where the last accepted snapshot had ${previousCount}: fewer than ${percent} %, kept the previous snapshot`;
        return refuse(
          'VEHICLE_DROP',
          'DOWN',
          { kind: 'VEHICLE_DROP', message, url: feed.url, path: null },
          { lowCountSince },
        );
      }
      // The drop lasted: the fleet really shrank. Accept it, reconciled from when it began.
      from = status.outageStartedAt ?? lowCountSince;
    } else {
      from = reconcileFrom(status, snapshot);
    }

    const rotatingIds = feed.rotatingIds || status.rotatingDetectedAt !== null;
    const quarantinedIds = new Set<string>();
    for (const q of quarantine) if (q.vehicleId !== null) quarantinedIds.add(q.vehicleId);
    const diff = diffSnapshot({
      previous,
      vehicles: snapshot.vehicles,
      now: at,
      rotatingIds,
      reconcileFrom: from,
      quarantined: quarantinedIds,
      // Until measured, a rider takes a vehicle about every two hours.
      typicalChurn: status.churn ?? previousCount / 240,
      settings,
      locate,
      newId: randomUUID,
    });

    // A feed taken for stable ids whose new ids never come back rotates them.
    const watch = watchOf(status);
    let rotatingDetectedAt = status.rotatingDetectedAt;
    const fresh: FeedNotice[] = [];
    const notice = (kind: FeedNotice['kind'], vehicles: number, message: string) =>
      fresh.push({ kind, vehicles, message, at: at.toISOString() });
    if (!rotatingIds && from === null) {
      watch.newIds += diff.newIds;
      watch.returnedIds += diff.returnedIds;
      if (watch.newIds >= ROTATING_SAMPLE) {
        if (watch.returnedIds < ROTATING_RETURN_SHARE * watch.newIds) {
          rotatingDetectedAt = at;
          notice(
            'ROTATING_IDS_DETECTED',
            watch.newIds,
            `${watch.newIds} vehicles appeared under ids never seen before while only ${watch.returnedIds} came back under the id they left with: the feed rotates its vehicle ids. From now on it is read as a rotating-id feed (rental starts and ends, no trips). Set rotatingIds: true on the feed to say so, or ask the operator to keep ids stable.`,
          );
        }
        watch.newIds = 0;
        watch.returnedIds = 0;
      }
    }
    watch.rotatingDetectedAt = rotatingDetectedAt;
    watch.emptySince = emptySince;
    if (from === null) {
      const churn = status.churn ?? previousCount / 240;
      watch.churn = churn + CHURN_WEIGHT * (diff.vanished - churn);
    }
    if (diff.rekeyed > 0) {
      notice(
        'IDS_CHANGED',
        diff.rekeyed,
        `${diff.rekeyed} vehicles were listed under new ids at the places of vanished ones: the operator changed its vehicle ids; no trips were recorded for it`,
      );
    }
    if (diff.partialOutageStarted > 0) {
      notice(
        'PARTIAL_OUTAGE',
        diff.partialOutageStarted,
        `${diff.partialOutageStarted} of ${previousCount} vehicles vanished at once, scattered over the service area: a partial outage of the feed, not rentals; they are kept (stale) until listed again`,
      );
    } else if (diff.partialOutageReturned > 0) {
      notice(
        'PARTIAL_OUTAGE',
        diff.partialOutageReturned,
        `${diff.partialOutageReturned} vehicles came back at once to where they had vanished together: a partial outage of the feed, their trips were dropped`,
      );
    }
    if (quarantine.length > 0) {
      notice(
        'QUARANTINED_RECORDS',
        quarantine.length,
        `${quarantine.length} vehicles left out for bad records (kept as they were), e.g. ${firstBad?.reason ?? ''}`,
      );
    }
    const unknownTypes = snapshot.unknownTypeVehicles ?? 0;
    if (unknownTypes > 0) {
      notice(
        'UNKNOWN_VEHICLE_TYPES',
        unknownTypes,
        `${unknownTypes} vehicles have no known vehicle type, so their form factor is OTHER: register the feed by its discovery file (gbfs.json), give it a vehicleTypesUrl, or set a defaultFormFactor`,
      );
    }
    if (emptyAccepted) {
      notice('EMPTY_FEED', 0, 'the feed lists no vehicles: accepted as an empty fleet');
    }
    let stationVehicles = 0;
    for (const v of snapshot.vehicles) if (v.stationId) stationVehicles += 1;
    const stations = snapshot.stations?.map((station) => ({
      ...station,
      zones: zones.locate(station.lat, station.lng),
    }));
    const leftOut = snapshot.stationsLeftOut ?? [];
    if (leftOut.length > 0) {
      notice(
        'STATIONS_LEFT_OUT',
        leftOut.length,
        `${leftOut.length} stations left out (bad records, or listed in only one of station_information and station_status), e.g. ${leftOut[0]?.reason ?? ''}`,
      );
    }

    const upserts = new Map(reassigned.map((s) => [s.vehicleId, s]));
    for (const state of diff.upserts) upserts.set(state.vehicleId, state);
    for (const id of diff.deletes) upserts.delete(id);
    const vehicleTypesKey = JSON.stringify(snapshot.vehicleTypes);
    return {
      outcome: 'ACCEPTED',
      reconciledFrom: from,
      vehicleTypesKey,
      commit: {
        ...base,
        at,
        snapshot: { fetchedAt: at, lastUpdatedAt: snapshot.lastUpdatedAt },
        events: diff.events,
        upserts: [...upserts.values()],
        deletes: diff.deletes,
        lowCountSince: null,
        vehicleTypes: vehicleTypesKey === cache.vehicleTypesKey ? null : snapshot.vehicleTypes,
        systemName: snapshot.systemName === cache.systemName ? null : snapshot.systemName,
        watch,
        health: {
          ok: true,
          vehicles: diff.present,
          durationMs: readMs,
          meta,
          notices: noticesFor(status, at, fresh, rotatingDetectedAt),
          quarantine,
          unknownTypeVehicles: unknownTypes,
          stationVehicles,
          stations: stations?.length ?? null,
        },
        stations: stations ?? null,
      },
    };
  };

  /** The committed plan becomes the cache: the same state a reload from the database gives. */
  const apply = (cache: FeedCache, planned: FeedPlan, version: number): void => {
    const { commit } = planned;
    const listed = (state: VehicleState | undefined) => (state && !state.gone ? 1 : 0);
    for (const id of commit.deletes) {
      cache.present -= listed(cache.vehicles.get(id));
      cache.vehicles.delete(id);
    }
    for (const state of commit.upserts) {
      cache.present += listed(state) - listed(cache.vehicles.get(state.vehicleId));
      cache.vehicles.set(state.vehicleId, state);
    }
    const { status } = cache;
    cache.status = {
      version,
      lastSnapshotAt: commit.snapshot?.fetchedAt ?? status.lastSnapshotAt,
      lastFeedUpdatedAt: commit.snapshot ? commit.snapshot.lastUpdatedAt : status.lastFeedUpdatedAt,
      zoneVersion: commit.zoneVersion,
      lowCountSince: commit.lowCountSince,
      outageStartedAt: commit.health?.ok
        ? null
        : (status.outageStartedAt ?? commit.lowCountSince ?? commit.at),
      healthStatus: healthStatusOf(commit) ?? status.healthStatus,
      newIds: commit.watch?.newIds ?? status.newIds,
      returnedIds: commit.watch?.returnedIds ?? status.returnedIds,
      rotatingDetectedAt: commit.watch
        ? commit.watch.rotatingDetectedAt
        : status.rotatingDetectedAt,
      emptySince: commit.watch ? commit.watch.emptySince : status.emptySince,
      churn: commit.watch ? commit.watch.churn : status.churn,
      notices: commit.health?.ok ? commit.health.notices : status.notices,
    };
    cache.vehicleTypesKey = planned.vehicleTypesKey;
    if (commit.systemName !== null) cache.systemName = commit.systemName;
  };

  const importFeed = async (
    feed: FeedConfig,
    zoneVersion: string,
    logger: Logger,
  ): Promise<FeedTickReport> => {
    const stages: ReadStages = { fetchMs: 0, parseMs: 0 };
    const cached = caches.has(feed.id);
    const readStarted = performance.now();
    // A state not in memory (first tick, after a failure) loads while the feed is read.
    const [loaded, result] = await Promise.all([
      cacheFor(feed.id),
      read(feed, {
        timeoutMs: settings.feedTimeoutMs,
        maxBytes: settings.feedMaxBytes,
        now,
        stages,
        memo: memoFor(feed.id),
      }).catch((err: unknown): ReadOutcome => {
        logger.error({ feedId: feed.id, err }, 'reading the feed failed unexpectedly');
        const message = err instanceof Error ? err.message : String(err);
        return { ok: false, error: { kind: 'INTERNAL', message, url: feed.url, path: null } };
      }),
    ]);
    let cache = loaded;
    let stateLoaded = !cached;
    const readMs = performance.now() - readStarted;
    for (let attempt = 1; ; attempt += 1) {
      const diffStarted = performance.now();
      const planned = plan(feed, cache, result, zoneVersion, readMs);
      const diffMs = performance.now() - diffStarted - planned.zonesMs;
      const { commit } = planned;
      const report = {
        feedId: feed.id,
        outcome: planned.outcome,
        reconciledFrom: planned.reconciledFrom,
        vehicles: commit.health?.ok ? commit.health.vehicles : 0,
        changedVehicles: commit.upserts.length,
        events: countEvents(commit.events),
        readMs,
        fetchMs: stages.fetchMs,
        parseMs: stages.parseMs,
        diffMs,
        zonesMs: planned.zonesMs,
        commitMs: 0,
        stateLoaded,
      };
      // Not newer than what is committed: whoever committed that recorded this feed already.
      if (planned.outcome === 'SKIPPED') return report;
      const commitStarted = performance.now();
      let committed;
      try {
        if (commit.snapshot) {
          // Park events of vehicles seen for the first time may start in earlier months.
          const starts = [...commit.events.parkStarts, ...commit.events.tripStarts].map(
            (p) => p.startTime,
          );
          await partitions.ensure(PARTITIONED_TABLES, [commit.at, ...starts]);
          if (commit.stations) await partitions.ensure(STATION_TABLES, [commit.at]);
        }
        committed = await commitFeed(db, commit);
      } catch (err) {
        caches.delete(feed.id);
        throw err;
      }
      if (committed.committed) {
        const wasStatus = cache.status.healthStatus;
        apply(cache, planned, committed.version);
        await announceHealth(feed, wasStatus, commit, logger);
        return { ...report, commitMs: performance.now() - commitStarted };
      }
      // Another process committed this feed since our state was loaded: reload, diff again
      // (usually to find our snapshot is no newer than theirs).
      caches.delete(feed.id);
      if (attempt >= 3) {
        throw new Error(`feed ${feed.id} is being imported by another process at the same time`);
      }
      logger.info({ feedId: feed.id }, 'feed state changed under us; reloading it');
      cache = await cacheFor(feed.id);
      stateLoaded = true;
    }
  };

  const announceHealth = async (
    feed: FeedConfig,
    wasStatus: FeedStatus['healthStatus'],
    commit: FeedCommit,
    logger: Logger,
  ): Promise<void> => {
    const { health } = commit;
    const status = healthStatusOf(commit);
    if (!health || !status || status === wasStatus) return;
    const error = health.ok ? null : health.error;
    if (error) logger.warn({ feedId: feed.id, error }, 'feed down');
    else if (wasStatus !== null) logger.info({ feedId: feed.id }, 'feed back up');
    await pubsub.publish(channels.feedHealthChanged, {
      feedId: feed.id,
      operatorId: feed.operatorId,
      status,
      at: commit.at.toISOString(),
      errorKind: error?.kind ?? null,
      message: error?.message ?? null,
    });
  };

  /** A feed switched off: its listed vehicles' park events end now, as after an outage; its stations are gone. */
  const retire = async (feed: FeedConfig): Promise<FeedTickReport> => {
    const cache = await cacheFor(feed.id);
    caches.delete(feed.id);
    const at = now();
    const started = performance.now();
    const diff = diffSnapshot({
      previous: cache.vehicles,
      vehicles: [],
      now: at,
      rotatingIds: feed.rotatingIds,
      reconcileFrom: at,
      settings,
      locate: zones.locate,
      newId: randomUUID,
    });
    const diffMs = performance.now() - started;
    await partitions.ensure([...PARTITIONED_TABLES, ...STATION_TABLES], [at]);
    const committed = await commitFeed(db, {
      feed,
      expectedVersion: cache.status.version,
      at,
      snapshot: null,
      events: diff.events,
      upserts: diff.upserts,
      deletes: diff.deletes,
      parkZones: [],
      zoneVersion: cache.status.zoneVersion,
      lowCountSince: cache.status.lowCountSince,
      vehicleTypes: null,
      systemName: null,
      health: null,
      watch: null,
      // Its stations leave the API too (gone, with a status row saying so).
      stations: [],
    });
    return {
      feedId: feed.id,
      // Another process retired it at the same time: the next tick checks again.
      outcome: committed.committed ? 'RETIRED' : 'SKIPPED',
      reconciledFrom: at,
      vehicles: 0,
      changedVehicles: committed.committed ? diff.upserts.length : 0,
      events: committed.committed ? countEvents(diff.events) : 0,
      readMs: 0,
      fetchMs: 0,
      parseMs: 0,
      diffMs,
      zonesMs: 0,
      commitMs: performance.now() - started - diffMs,
      stateLoaded: true,
    };
  };

  const owner = options.owner ?? `importer:${randomUUID()}`;
  /**
   * At most `settings.concurrency` feeds at once in this process, however many jobs of a
   * fanned-out tick it runs: the work is CPU-bound and each feed holds up to three connections.
   */
  let running = 0;
  const queue: (() => void)[] = [];
  const limited = async <T>(fn: () => Promise<T>): Promise<T> => {
    while (running >= settings.concurrency)
      await new Promise<void>((resolve) => queue.push(resolve));
    running += 1;
    try {
      return await fn();
    } finally {
      running -= 1;
      queue.shift()?.();
    }
  };
  /** Feeds this importer is importing now: a second job of this process for one is BUSY. */
  const busy = new Set<string>();
  const busyReport = (feed: FeedConfig): FeedTickReport => ({
    feedId: feed.id,
    outcome: 'BUSY',
    reconciledFrom: null,
    vehicles: 0,
    changedVehicles: 0,
    events: 0,
    readMs: 0,
    fetchMs: 0,
    parseMs: 0,
    diffMs: 0,
    zonesMs: 0,
    commitMs: 0,
    stateLoaded: false,
  });

  /** Every active feed (`feedIds` null) or some; leased for the time of the import. */
  const importSome = async (
    feedIds: readonly string[] | null,
    logger: Logger,
  ): Promise<{ tick: TickReport; failures: { feedId: string; err: unknown }[] }> => {
    const at = now();
    const zoneVersion = await zones.refresh();
    const feeds = await loadActiveFeeds(db, undefined, feedIds ?? undefined);
    if (!feedIds) {
      const active = new Set(feeds.map((f) => f.id));
      // A feed switched off and on again is reloaded from the database (and reconciled).
      for (const feedId of caches.keys()) if (!active.has(feedId)) caches.delete(feedId);
      for (const feedId of memos.keys()) if (!active.has(feedId)) memos.delete(feedId);
    } else {
      for (const feedId of feedIds) {
        if (feeds.some((f) => f.id === feedId)) continue;
        caches.delete(feedId);
        memos.delete(feedId);
      }
    }
    await partitions.ensure(PARTITIONED_TABLES, [at]);
    const retired = await loadRetiredFeeds(db, feedIds ?? undefined);
    const wanted = [...feeds, ...retired].filter((feed) => !busy.has(feed.id));
    const ids = wanted.map((feed) => feed.id);
    for (const id of ids) busy.add(id);
    try {
      // The lease outlives the slowest read, and a runner that died lets go with its heartbeat.
      const leased = await claimFeeds(
        db,
        ids,
        owner,
        settings.feedTimeoutMs + MINUTE,
        WORKER_ALIVE_MS,
      );
      // Another importer committed a feed since this one's memory of it: reload it while reading.
      for (const [feedId, version] of leased) {
        const cached = caches.get(feedId);
        if (cached && cached.status.version !== version) caches.delete(feedId);
      }
      const retiredIds = new Set(retired.map((feed) => feed.id));
      const work = [...feeds, ...retired].map((feed) => ({
        feed,
        run: (): Promise<FeedTickReport> => {
          if (!leased.has(feed.id)) return Promise.resolve(busyReport(feed));
          return retiredIds.has(feed.id) ? retire(feed) : importFeed(feed, zoneVersion, logger);
        },
      }));
      const settled = await Promise.all(
        work.map(({ feed, run }) =>
          limited(run).then(
            (report) => ({ ok: true as const, report }),
            (err: unknown) => ({ ok: false as const, feed, err }),
          ),
        ),
      );
      await releaseFeeds(db, [...leased.keys()], owner);
      const reports: FeedTickReport[] = [];
      const failures: { feedId: string; err: unknown }[] = [];
      for (const outcome of settled) {
        if (outcome.ok) reports.push(outcome.report);
        else failures.push({ feedId: outcome.feed.id, err: outcome.err });
      }
      const tick: TickReport = {
        at,
        feeds: reports,
        vehicles: reports.reduce((sum, r) => sum + (r.outcome === 'ACCEPTED' ? r.vehicles : 0), 0),
        events: reports.reduce((sum, r) => sum + r.events, 0),
      };
      return { tick, failures };
    } finally {
      for (const id of ids) busy.delete(id);
    }
  };

  const raise = (
    tick: TickReport,
    failures: { feedId: string; err: unknown }[],
    logger: Logger,
  ) => {
    if (failures.length === 0) return tick;
    for (const { feedId, err } of failures) logger.error({ feedId, err }, 'feed import failed');
    const first = failures[0]?.err;
    throw new Error(
      `${failures.length} of ${tick.feeds.length + failures.length} feeds could not be imported: ${first instanceof Error ? first.message : String(first)}`,
    );
  };

  return {
    async tick(logger = options.logger) {
      const { tick, failures } = await importSome(null, logger);
      await pubsub.publish(channels.vehiclesUpdated, {
        at: tick.at.toISOString(),
        feeds: tick.feeds.length,
        vehicles: tick.vehicles,
        events: tick.events,
      });
      return raise(tick, failures, logger);
    },
    async importFeeds(feedIds, logger = options.logger) {
      const { tick, failures } = await importSome(feedIds, logger);
      return raise(tick, failures, logger);
    },
  };
}
