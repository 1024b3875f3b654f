import type { Config } from '../../lib/config';
import type { DiffSettings } from './diff';

export interface ImporterSettings extends DiffSettings {
  /** Each feed read (every document and page of it) must finish within this. */
  feedTimeoutMs: number;
  /** The limit of each response body. */
  feedMaxBytes: number;
  /** Feeds read and committed at once. */
  concurrency: number;
  /** Vehicles per job of a fanned-out tick (a larger feed is a job of its own). */
  groupVehicles: number;
  /** A snapshot with fewer than this share of the previous vehicle count ... */
  dropRatio: number;
  /** ... when that count was at least this, is an outage, not a wave of rentals. */
  dropMinVehicles: number;
  /** A drop that lasts this long is real (a fleet withdrawn): it is accepted, without trips. */
  acceptDropAfterMs: number;
  /**
   * A snapshot more than this after the previous accepted one (an outage, the importer down, a
   * feed switched off) is reconciled: what changed in between makes no trips.
   */
  maxGapMs: number;
  /** MDS /trips: an hour is asked for this long after it ended. */
  mdsTripsDelayMs: number;
  /** MDS /trips: how many hours one run imports at most (and how far back a new feed starts). */
  mdsTripsMaxHours: number;
  /** A snapshot whose own `last_updated` is older than this (at fetch time) is STALE. */
  staleAfterMs: number;
  /** More than this share of vehicles with bad records: the snapshot is refused as a whole. */
  quarantineMaxRatio: number;
}

export function importerSettings(config: Config): ImporterSettings {
  return {
    feedTimeoutMs: config.IMPORTER_FEED_TIMEOUT_MS,
    feedMaxBytes: config.IMPORTER_FEED_MAX_BYTES,
    concurrency: config.IMPORTER_CONCURRENCY,
    groupVehicles: config.IMPORTER_GROUP_VEHICLES,
    reappearWindowMs: config.IMPORTER_REAPPEAR_WINDOW_MS,
    reappearDistanceMeters: config.IMPORTER_REAPPEAR_DISTANCE_METERS,
    relocationDistanceMeters: config.IMPORTER_RELOCATION_DISTANCE_METERS,
    maxTripDurationMs: config.IMPORTER_MAX_TRIP_DURATION_MS,
    rotatingMatchMeters: config.IMPORTER_ROTATING_MATCH_METERS,
    dropRatio: config.IMPORTER_DROP_RATIO,
    dropMinVehicles: config.IMPORTER_DROP_MIN_VEHICLES,
    acceptDropAfterMs: config.IMPORTER_DROP_ACCEPT_AFTER_MS,
    maxGapMs: config.IMPORTER_MAX_GAP_MS,
    mdsTripsDelayMs: config.IMPORTER_MDS_TRIPS_DELAY_MS,
    mdsTripsMaxHours: config.IMPORTER_MDS_TRIPS_MAX_HOURS,
    batchMinVehicles: config.IMPORTER_BATCH_MIN_VEHICLES,
    batchRadiusMeters: config.IMPORTER_BATCH_RADIUS_METERS,
    partialOutageRatio: config.IMPORTER_PARTIAL_OUTAGE_RATIO,
    partialOutageMinVehicles: config.IMPORTER_PARTIAL_OUTAGE_MIN_VEHICLES,
    holdMaxMs: config.IMPORTER_HOLD_MAX_MS,
    rekeyShare: config.IMPORTER_REKEY_SHARE,
    staleAfterMs: config.IMPORTER_STALE_AFTER_MS,
    quarantineMaxRatio: config.IMPORTER_QUARANTINE_MAX_RATIO,
    parkStartHorizonMs: config.IMPORTER_PARK_START_HORIZON_MS,
  };
}
