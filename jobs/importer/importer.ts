import { randomUUID } from 'node:crypto';
import type { Db } from '../../lib/db';
import { channels } from '../../lib/domain/channels';
import type { Logger } from '../../lib/logger';
import { type PubSub } from '../../lib/pubsub';
import { PARTITIONED_TABLES, PartitionKeeper } from '../../lib/sql/partitions';
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
import { readFeed, type ReadOptions } from './feeds';
import type { FeedConfig, FeedReadResult, FeedSnapshot } from './feeds/types';
import type { ImporterSettings } from './settings';
import {
  commitFeed,
  loadActiveFeeds,
  loadFeedState,
  loadRetiredFeeds,
  type FeedCommit,
  type FeedStatus,
  type HealthError,
} from './store';
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
}

/**
 * - ACCEPTED: the snapshot was diffed and its events written.
 * - DOWN: the read failed; no events, health and outage recorded.
 * - VEHICLE_DROP: most vehicles vanished at once; treated as an outage.
 * - SKIPPED: not newer than the last accepted snapshot (a retried tick, a stale cached copy, or
 *   another process imported the feed at the same time): nothing is written.
 * - RETIRED: the feed was switched off; its listed vehicles' park events end (OUTAGE, no trips).
 */
export type FeedOutcome = 'ACCEPTED' | 'DOWN' | 'VEHICLE_DROP' | 'SKIPPED' | 'RETIRED';

export interface FeedTickReport {
  feedId: string;
  outcome: FeedOutcome;
  /** Set when the snapshot was reconciled (first snapshot, after an outage or a long gap). */
  reconciledFrom: Date | null;
  vehicles: number;
  /** Vehicles whose state changed (new, gone, moved, flags). */
  changedVehicles: number;
  events: number;
  readMs: number;
  diffMs: number;
  commitMs: number;
}

export interface TickReport {
  at: Date;
  feeds: FeedTickReport[];
  /** Vehicles listed by the feeds whose snapshot was accepted. */
  vehicles: number;
  events: number;
}

export interface Importer {
  /** Reads every active feed, diffs, and commits each feed's events in one transaction. */
  tick(logger?: Logger): Promise<TickReport>;
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
  outcome: FeedOutcome;
  reconciledFrom: Date | null;
  commit: FeedCommit;
  vehicleTypesKey: string | null;
}

/** Runs `fn` over `items` with at most `limit` at once; results in item order. */
async function mapConcurrent<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
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

function isStale(status: FeedStatus, snapshot: FeedSnapshot): boolean {
  if (status.lastSnapshotAt && snapshot.fetchedAt <= status.lastSnapshotAt) return true;
  return (
    snapshot.lastUpdatedAt !== null &&
    status.lastFeedUpdatedAt !== null &&
    snapshot.lastUpdatedAt < status.lastFeedUpdatedAt
  );
}

export function createImporter(options: ImporterOptions): Importer {
  const { db, pubsub, settings } = options;
  const now = options.now ?? (() => new Date());
  const read = options.read ?? readFeed;
  const zones = new ZoneLocator(db);
  const partitions = new PartitionKeeper(db);
  /** Each feed's committed state, as of its `status.version`; dropped on any failure. */
  const caches = new Map<string, FeedCache>();

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
  const reconcileFrom = (status: FeedStatus, at: Date): Date | null => {
    const last = status.lastSnapshotAt;
    if (!last) return at;
    if (at.getTime() - last.getTime() <= settings.maxGapMs) return null;
    const outage = status.outageStartedAt;
    return outage && outage > last ? outage : last;
  };

  const plan = (
    feed: FeedConfig,
    cache: FeedCache,
    result: ReadOutcome,
    zoneVersion: string,
    readMs: number,
  ): FeedPlan => {
    const { status } = cache;
    let previous: ReadonlyMap<string, VehicleState> = cache.vehicles;
    let reassigned: VehicleState[] = [];
    let parkZones: FeedCommit['parkZones'] = [];
    if (status.zoneVersion !== zoneVersion) {
      const changed = reassignZones(cache.vehicles, zones.locate);
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
          health: { ok: false, error: { kind, message, url, path }, durationMs: readMs },
        },
      };
    }
    const snapshot = result.snapshot;
    const at = snapshot.fetchedAt;
    const count = snapshot.vehicles.length;
    if (isStale(status, snapshot)) {
      return {
        ...unchanged,
        outcome: 'SKIPPED',
        commit: { ...base, at, health: { ok: true, vehicles: count, durationMs: readMs } },
      };
    }

    let from: Date | null;
    const previousCount = cache.present;
    if (isVehicleDrop(previousCount, count, settings)) {
      const lowCountSince = status.lowCountSince ?? at;
      if (at.getTime() - lowCountSince.getTime() < settings.acceptDropAfterMs) {
        const percent = Math.round(settings.dropRatio * 100);
        const message = `${count} vehicles where the last accepted snapshot had ${previousCount}: fewer than ${percent} %, kept the previous snapshot`;
        return {
          ...unchanged,
          outcome: 'VEHICLE_DROP',
          commit: {
            ...base,
            at,
            lowCountSince,
            health: {
              ok: false,
              error: { kind: 'VEHICLE_DROP', message, url: feed.url, path: null },
              durationMs: readMs,
            },
          },
        };
      }
      // The drop lasted: the fleet really shrank. Accept it, reconciled from when it began.
      from = status.outageStartedAt ?? lowCountSince;
    } else {
      from = reconcileFrom(status, at);
    }

    const diff = diffSnapshot({
      previous,
      vehicles: snapshot.vehicles,
      now: at,
      rotatingIds: feed.rotatingIds,
      reconcileFrom: from,
      settings,
      locate: zones.locate,
      newId: randomUUID,
    });
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
        health: { ok: true, vehicles: diff.present, durationMs: readMs },
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
      healthStatus: commit.health?.ok ? 'OK' : 'DOWN',
    };
    cache.vehicleTypesKey = planned.vehicleTypesKey;
    if (commit.systemName !== null) cache.systemName = commit.systemName;
  };

  const importFeed = async (
    feed: FeedConfig,
    zoneVersion: string,
    logger: Logger,
  ): Promise<FeedTickReport> => {
    let cache = await cacheFor(feed.id);
    const readStarted = performance.now();
    const result = await read(feed, {
      timeoutMs: settings.feedTimeoutMs,
      maxBytes: settings.feedMaxBytes,
      now,
    }).catch((err: unknown): ReadOutcome => {
      logger.error({ feedId: feed.id, err }, 'reading the feed failed unexpectedly');
      const message = err instanceof Error ? err.message : String(err);
      return { ok: false, error: { kind: 'INTERNAL', message, url: feed.url, path: null } };
    });
    const readMs = performance.now() - readStarted;
    for (let attempt = 1; ; attempt += 1) {
      const diffStarted = performance.now();
      const planned = plan(feed, cache, result, zoneVersion, readMs);
      const diffMs = performance.now() - diffStarted;
      const { commit } = planned;
      const report = {
        feedId: feed.id,
        outcome: planned.outcome,
        reconciledFrom: planned.reconciledFrom,
        vehicles: commit.health?.ok ? commit.health.vehicles : 0,
        changedVehicles: commit.upserts.length,
        events: countEvents(commit.events),
        readMs,
        diffMs,
        commitMs: 0,
      };
      // Not newer than what is committed: whoever committed that recorded this feed already.
      if (planned.outcome === 'SKIPPED') return report;
      const commitStarted = performance.now();
      let committed;
      try {
        if (commit.snapshot) await partitions.ensure(PARTITIONED_TABLES, [commit.at]);
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
    }
  };

  const announceHealth = async (
    feed: FeedConfig,
    wasStatus: FeedStatus['healthStatus'],
    commit: FeedCommit,
    logger: Logger,
  ): Promise<void> => {
    const { health } = commit;
    const status = health?.ok ? 'OK' : 'DOWN';
    if (!health || status === wasStatus) return;
    const error = health.ok ? null : health.error;
    if (error) logger.warn({ feedId: feed.id, error }, 'feed down');
    else if (wasStatus === 'DOWN') logger.info({ feedId: feed.id }, 'feed back up');
    await pubsub.publish(channels.feedHealthChanged, {
      feedId: feed.id,
      operatorId: feed.operatorId,
      status,
      at: commit.at.toISOString(),
      errorKind: error?.kind ?? null,
      message: error?.message ?? null,
    });
  };

  /** A feed switched off: its listed vehicles' park events end now, as after an outage. */
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
    await partitions.ensure(PARTITIONED_TABLES, [at]);
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
      diffMs,
      commitMs: performance.now() - started - diffMs,
    };
  };

  return {
    async tick(logger = options.logger) {
      const at = now();
      const zoneVersion = await zones.refresh();
      const feeds = await loadActiveFeeds(db);
      const active = new Set(feeds.map((f) => f.id));
      // A feed switched off and on again is reloaded from the database (and reconciled).
      for (const feedId of caches.keys()) if (!active.has(feedId)) caches.delete(feedId);
      await partitions.ensure(PARTITIONED_TABLES, [at]);

      const retired = await loadRetiredFeeds(db);
      const work = [
        ...feeds.map((feed) => ({ feed, run: () => importFeed(feed, zoneVersion, logger) })),
        ...retired.map((feed) => ({ feed, run: () => retire(feed) })),
      ];
      const settled = await mapConcurrent(work, settings.concurrency, ({ feed, run }) =>
        run().then(
          (report) => ({ ok: true as const, report }),
          (err: unknown) => ({ ok: false as const, feed, err }),
        ),
      );
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
      await pubsub.publish(channels.vehiclesUpdated, {
        at: at.toISOString(),
        feeds: reports.length,
        vehicles: tick.vehicles,
        events: tick.events,
      });
      if (failures.length > 0) {
        for (const { feedId, err } of failures) logger.error({ feedId, err }, 'feed import failed');
        const first = failures[0]?.err;
        throw new Error(
          `${failures.length} of ${work.length} feeds could not be imported: ${first instanceof Error ? first.message : String(first)}`,
        );
      }
      return tick;
    },
  };
}
