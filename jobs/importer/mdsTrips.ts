import { createHash } from 'node:crypto';
import type { Db } from '../../lib/db';
import type { Logger } from '../../lib/logger';
import { HOUR, MINUTE } from '../../lib/units';
import { distanceMeters } from '../../lib/geo/distance';
import { readMdsTrips, type ReadOptions } from '../../lib/feeds';
import type { ExactTrip, FeedConfig, TripsReadResult } from '../../lib/feeds/types';
import { PartitionKeeper } from '../../lib/sql/partitions';
import type { ImporterSettings } from './settings';
import { h3Cell, loadActiveFeeds } from './store';
import { ZoneLocator } from './zoneLocator';

export type TripsReader = (
  feed: FeedConfig,
  endHour: Date,
  options: ReadOptions,
) => Promise<TripsReadResult>;

export interface MdsTripsOptions {
  db: Db;
  logger: Logger;
  settings: ImporterSettings;
  now?: () => Date;
  read?: TripsReader;
}

export interface MdsTripsReport {
  /** Hours imported, over all feeds. */
  hours: number;
  trips: number;
  /** Inferred trips replaced by exact ones. */
  superseded: number;
}

const CLOCK_SLACK_MS = MINUTE;

/** The same trip of the same feed always gets the same id: re-importing an hour adds nothing. */
export function exactTripId(feedId: string, tripId: string): string {
  const hex = createHash('sha1').update(`${feedId}/${tripId}`).digest('hex');
  const variant = ((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Imports MDS `/trips` of every active MDS feed, hour by hour (each hour once it ended
 * `mdsTripsDelayMs` ago), and lets those exact trips take precedence: inferred trips of the same
 * vehicle that began within an exact trip are marked SUPERSEDED, in the same transaction.
 */
export function createMdsTripsImporter(options: MdsTripsOptions) {
  const { db, settings } = options;
  const now = options.now ?? (() => new Date());
  const read = options.read ?? readMdsTrips;
  const zones = new ZoneLocator(db);
  const partitions = new PartitionKeeper(db);

  const write = async (feed: FeedConfig, hour: number, trips: readonly ExactTrip[]) => {
    if (trips.length > 0)
      await partitions.ensure(
        ['trips'],
        trips.map((t) => t.startTime),
      );
    return db.transaction(async (trx) => {
      // The importer locks this row first too: the same order, so the two never deadlock.
      await trx.raw(
        'insert into feed_import_state (feed_id) values (?) on conflict (feed_id) do nothing',
        [feed.id],
      );
      await trx('feed_import_state').select('feed_id').where('feed_id', feed.id).forUpdate();
      let superseded = 0;
      if (trips.length > 0) {
        const rows = trips.map((trip) => {
          const start = zones.locate(trip.startLat, trip.startLng);
          const end = zones.locate(trip.endLat, trip.endLng);
          return {
            id: exactTripId(feed.id, trip.tripId),
            external_id: trip.tripId,
            vehicle_id: trip.vehicleId,
            form_factor: trip.formFactor,
            start_time: trip.startTime,
            end_time: trip.endTime,
            start_lat: trip.startLat,
            start_lng: trip.startLng,
            end_lat: trip.endLat,
            end_lng: trip.endLng,
            start_h3_cell: h3Cell(trip.startLat, trip.startLng),
            end_h3_cell: h3Cell(trip.endLat, trip.endLng),
            start_zone_ids: start.zoneIds,
            end_zone_ids: end.zoneIds,
            municipality_code: start.municipalityCode,
            end_municipality_code: end.municipalityCode,
            distance_meters: Math.round(
              trip.distanceMeters ??
                distanceMeters(trip.startLat, trip.startLng, trip.endLat, trip.endLng),
            ),
          };
        });
        const json = JSON.stringify(rows);
        await trx.raw(
          `insert into trips (id, feed_id, operator_id, vehicle_id, form_factor, source, external_id,
                              status, start_time, end_time, start_lat, start_lng, end_lat, end_lng,
                              start_h3_cell, end_h3_cell, start_zone_ids, end_zone_ids,
                              municipality_code, end_municipality_code, distance_meters)
           select x.id, ?, ?, x.vehicle_id, x.form_factor, 'MDS_EXACT', x.external_id,
                  'COMPLETED', x.start_time, x.end_time, x.start_lat, x.start_lng, x.end_lat,
                  x.end_lng, x.start_h3_cell, x.end_h3_cell, x.start_zone_ids, x.end_zone_ids,
                  x.municipality_code, x.end_municipality_code, x.distance_meters
             from json_to_recordset(?::json) as x(id uuid, external_id text, vehicle_id text,
                  form_factor text, start_time timestamptz, end_time timestamptz,
                  start_lat float8, start_lng float8, end_lat float8, end_lng float8,
                  start_h3_cell text, end_h3_cell text, start_zone_ids uuid[],
                  end_zone_ids uuid[], municipality_code text, end_municipality_code text,
                  distance_meters integer)
           on conflict (id, start_time) do nothing`,
          [feed.id, feed.operatorId, json],
        );
        // An inferred trip starts when a snapshot no longer lists the vehicle: after the real
        // start and before its end (a shorter trip is not seen at all). A minute of slack on both
        // sides covers the difference between the operator's clock and ours.
        const slackMs = CLOCK_SLACK_MS;
        let first = Infinity;
        let last = -Infinity;
        for (const trip of trips) {
          first = Math.min(first, trip.startTime.getTime() - slackMs);
          last = Math.max(last, trip.endTime.getTime() + slackMs);
        }
        const result = await trx.raw<{ rowCount: number }>(
          `update trips t set status = 'SUPERSEDED'
             from json_to_recordset(?::json)
               as x(vehicle_id text, start_time timestamptz, end_time timestamptz)
            where t.feed_id = ? and t.source = 'INFERRED'
              and t.status in ('OPEN', 'COMPLETED', 'EXPIRED')
              and t.vehicle_id = x.vehicle_id
              and t.start_time between x.start_time - ?::interval and x.end_time + ?::interval
              and t.start_time between ?::timestamptz and ?::timestamptz`,
          [
            json,
            feed.id,
            `${slackMs} milliseconds`,
            `${slackMs} milliseconds`,
            new Date(first),
            new Date(last),
          ],
        );
        superseded = result.rowCount;
      }
      await trx('feed_import_state')
        .where('feed_id', feed.id)
        .update({ mds_trips_until: new Date(hour + HOUR) });
      return superseded;
    });
  };

  const importFeed = async (feed: FeedConfig, logger: Logger): Promise<MdsTripsReport> => {
    const report = { hours: 0, trips: 0, superseded: 0 };
    const state = await db('feed_import_state')
      .select<{ mds_trips_until: Date | null }[]>('mds_trips_until')
      .where('feed_id', feed.id)
      .first();
    // The latest hour that ended at least `mdsTripsDelayMs` ago.
    const lastHour = Math.floor((now().getTime() - settings.mdsTripsDelayMs - HOUR) / HOUR) * HOUR;
    let hour =
      state?.mds_trips_until?.getTime() ?? lastHour - (settings.mdsTripsMaxHours - 1) * HOUR;
    while (hour <= lastHour && report.hours < settings.mdsTripsMaxHours) {
      const result = await read(feed, new Date(hour), {
        timeoutMs: settings.feedTimeoutMs,
        maxBytes: settings.feedMaxBytes,
        now,
      });
      let trips: ExactTrip[] = [];
      if (result.ok) {
        trips = result.trips;
      } else if (result.error.httpStatus !== 404) {
        // 202 (the hour is not processed yet) or a failure: this hour is asked again next run.
        logger.warn(
          { feedId: feed.id, hour: new Date(hour), error: result.error },
          'MDS trips not imported',
        );
        break;
      }
      report.superseded += await write(feed, hour, trips);
      report.trips += trips.length;
      report.hours += 1;
      hour += HOUR;
    }
    return report;
  };

  return {
    async run(logger = options.logger): Promise<MdsTripsReport> {
      await zones.refresh();
      const feeds = await loadActiveFeeds(db, 'MDS_VEHICLES');
      const total = { hours: 0, trips: 0, superseded: 0 };
      for (const feed of feeds) {
        const report = await importFeed(feed, logger);
        total.hours += report.hours;
        total.trips += report.trips;
        total.superseded += report.superseded;
      }
      return total;
    },
  };
}
