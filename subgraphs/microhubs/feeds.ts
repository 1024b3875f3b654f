import { Router, type Request, type Response } from 'express';
import { PUBLIC_SCOPE } from '../../lib/auth/scope';
import { createScopedDb } from '../../lib/auth/scopedDb';
import type { Db } from '../../lib/db';
import type { FormFactor } from '../../lib/domain/formFactors';
import {
  acceptedFormFactors,
  COMBINED,
  type HubRow,
  type HubStatusRow,
  type MicrohubSettings,
} from '../../lib/domain/hubs/model';
import { asMultiPolygon } from '../../lib/domain/hubs/shapes';
import { createHubStore } from '../../lib/domain/hubs/store';
import { isMunicipalityCode } from '../../lib/domain/municipalities';
import { isUuid } from '../../lib/ids';
import type { Logger } from '../../lib/logger';
import { createHubReader } from './repository';

/**
 * The open-data feeds operators read, per municipality, over plain HTTP and without credentials:
 * public hubs only (effective, not retired), as MDS 2.0 Provider `/stops` and as GBFS 3.0
 * `station_information.json` / `station_status.json` (hubs are virtual stations).
 *
 *   /municipalities/GM0363/mds/stops
 *   /municipalities/GM0363/mds/stops/{stop_id}
 *   /municipalities/GM0363/gbfs/3.0/station_information.json
 *   /municipalities/GM0363/gbfs/3.0/station_status.json
 */
export interface FeedOptions {
  db: Db;
  settings: Pick<MicrohubSettings, 'feedTtlMs' | 'feedLanguage'>;
  logger: Logger;
}

export const MDS_VERSION = '2.0.0';
const MDS_CONTENT_TYPE = 'application/vnd.mds+json;version=2.0';

/** MDS `vehicle_type` and GBFS `form_factor` values are our form factors in lower case. */
const vehicleType = (formFactor: FormFactor): string => formFactor.toLowerCase();

interface HubWithStatus {
  hub: HubRow;
  statuses: HubStatusRow[];
}

/** The MDS error body (models/response/error.yaml), used by every feed. */
function errorBody(error: string, description: string, details: string[]) {
  return { error, error_description: description, error_details: details };
}

/** An `Accept` naming another MDS major version than 2 gets a 406, as MDS asks. */
function acceptsMds2(req: Request): boolean {
  const accept = req.headers.accept ?? '';
  const wanted = /application\/vnd\.mds\+json\s*;\s*version\s*=\s*"?(\d+)/i.exec(accept);
  return !wanted || wanted[1] === '2';
}

export function createFeedRoutes(options: FeedOptions): Router {
  const { db, settings } = options;
  const logger = options.logger.child({ component: 'hub-feeds' });
  const reader = createHubReader(createScopedDb(db, PUBLIC_SCOPE));
  const store = createHubStore(db);
  const ttlSeconds = Math.round(settings.feedTtlMs / 1000);
  const router = Router();

  /** Public hubs of a municipality with their statuses, or a 404 answered already. */
  const load = async (req: Request, res: Response): Promise<HubWithStatus[] | undefined> => {
    const code = String(req.params.code);
    if (!isMunicipalityCode(code) || !(await reader.municipalityExists(code))) {
      res
        .status(404)
        .json(
          errorBody('unknown_municipality', `no municipality with code ${code}`, [
            'municipality: use a CBS municipality code like GM0363 (Amsterdam)',
          ]),
        );
      return undefined;
    }
    const hubs = await reader.inMunicipality(code);
    const statuses = await reader.statusesByHubIds(hubs.map((hub) => hub.id));
    return hubs.map((hub) => ({ hub, statuses: statuses.filter((s) => s.hub_id === hub.id) }));
  };

  const route = (path: string, handle: (req: Request, res: Response) => Promise<void>): void => {
    router.get(path, (req, res) => {
      handle(req, res).catch((err: unknown) => {
        logger.error({ err, path: req.path }, 'hub feed failed');
        if (!res.headersSent) {
          res
            .status(500)
            .json(errorBody('internal_error', 'the feed could not be built', ['try again later']));
        }
      });
    });
  };

  const lastUpdated = async (hubs: HubWithStatus[]): Promise<Date> => {
    let latest = (await store.lastTickAt()) ?? new Date(0);
    for (const { hub, statuses } of hubs) {
      if (hub.updated_at > latest) latest = hub.updated_at;
      for (const status of statuses) if (status.updated_at > latest) latest = status.updated_at;
    }
    return latest.getTime() === 0 ? new Date() : latest;
  };

  const sendMds = async (res: Response, hubs: HubWithStatus[]): Promise<void> => {
    const updated = await lastUpdated(hubs);
    res
      .status(200)
      .type(MDS_CONTENT_TYPE)
      .set('cache-control', `public, max-age=${ttlSeconds}`)
      .send(
        JSON.stringify({
          version: MDS_VERSION,
          last_updated: updated.getTime(),
          ttl: settings.feedTtlMs,
          stops: hubs.map((entry) => mdsStop(entry, updated)),
        }),
      );
  };

  route('/municipalities/:code/mds/stops', async (req, res) => {
    if (!acceptsMds2(req)) {
      res.status(406).json(errorBody('unsupported_version', 'this feed serves MDS 2.0', []));
      return;
    }
    const hubs = await load(req, res);
    if (hubs) await sendMds(res, hubs);
  });

  route('/municipalities/:code/mds/stops/:stopId', async (req, res) => {
    if (!acceptsMds2(req)) {
      res.status(406).json(errorBody('unsupported_version', 'this feed serves MDS 2.0', []));
      return;
    }
    const stopId = String(req.params.stopId).toLowerCase();
    if (!isUuid(stopId)) {
      res
        .status(400)
        .json(errorBody('bad_param', `stop_id ${stopId} is not a UUID`, ['stop_id: a UUID']));
      return;
    }
    const hubs = await load(req, res);
    if (!hubs) return;
    const found = hubs.find((entry) => entry.hub.id === stopId);
    if (!found) {
      res
        .status(404)
        .json(
          errorBody('stop_not_found', `no stop ${stopId} in ${String(req.params.code)}`, [
            'stop_id: not a public hub of this municipality',
          ]),
        );
      return;
    }
    await sendMds(res, [found]);
  });

  const sendGbfs = async (
    res: Response,
    hubs: HubWithStatus[],
    station: (entry: HubWithStatus, updated: Date) => object,
  ): Promise<void> => {
    const updated = await lastUpdated(hubs);
    res
      .status(200)
      .set('cache-control', `public, max-age=${ttlSeconds}`)
      .json({
        last_updated: rfc3339(updated),
        ttl: ttlSeconds,
        version: '3.0',
        data: { stations: hubs.map((entry) => station(entry, updated)) },
      });
  };

  route('/municipalities/:code/gbfs/3.0/station_information.json', async (req, res) => {
    const hubs = await load(req, res);
    if (hubs) await sendGbfs(res, hubs, (entry) => gbfsStationInformation(entry, settings));
  });

  route('/municipalities/:code/gbfs/3.0/station_status.json', async (req, res) => {
    const hubs = await load(req, res);
    if (hubs) await sendGbfs(res, hubs, gbfsStationStatus);
  });

  return router;
}

/** RFC 3339 without milliseconds, as GBFS examples write it. */
function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function statusFor(entry: HubWithStatus, formFactor: FormFactor): HubStatusRow | undefined {
  return entry.statuses.find((s) => s.form_factor === formFactor || s.form_factor === COMBINED);
}

/**
 * An MDS Stop. A form factor whose status is closed shows its free places as disabled (unable to
 * accept vehicles), none as available; the stop returns vehicles while any form factor is open.
 * A combined capacity is listed under every form factor that shares it.
 */
function mdsStop({ hub, statuses }: HubWithStatus, updated: Date) {
  const capacity: Record<string, number> = {};
  const vehiclesAvailable: Record<string, number> = {};
  const vehiclesDisabled: Record<string, number> = {};
  const placesAvailable: Record<string, number> = {};
  const placesDisabled: Record<string, number> = {};
  for (const formFactor of acceptedFormFactors(hub)) {
    const type = vehicleType(formFactor);
    const status = statusFor({ hub, statuses }, formFactor);
    const [counted, rentable] = status?.breakdown[formFactor] ?? [0, 0];
    capacity[type] = hub.capacity[formFactor] ?? hub.capacity[COMBINED] ?? 0;
    vehiclesAvailable[type] = rentable;
    vehiclesDisabled[type] = counted - rentable;
    placesAvailable[type] = status?.open ? status.places_available : 0;
    placesDisabled[type] = status && !status.open ? status.places_available : 0;
  }
  return {
    stop_id: hub.id,
    name: hub.name,
    short_name: hub.code,
    last_updated: updated.getTime(),
    location: { lat: hub.center_lat, lng: hub.center_lng },
    status: {
      is_installed: true,
      is_renting: true,
      is_returning: statuses.some((s) => s.open),
    },
    capacity,
    num_vehicles_available: vehiclesAvailable,
    num_vehicles_disabled: vehiclesDisabled,
    num_places_available: placesAvailable,
    num_places_disabled: placesDisabled,
  };
}

function gbfsStationInformation(
  { hub }: HubWithStatus,
  settings: Pick<MicrohubSettings, 'feedLanguage'>,
) {
  const total =
    hub.capacity[COMBINED] ??
    Object.values(hub.capacity).reduce((sum: number, places) => sum + (places ?? 0), 0);
  return {
    station_id: hub.id,
    name: [{ text: hub.name, language: settings.feedLanguage }],
    short_name: [{ text: hub.code, language: settings.feedLanguage }],
    lat: hub.center_lat,
    lon: hub.center_lng,
    is_virtual_station: true,
    station_area: asMultiPolygon(hub.geometry),
    capacity: total,
  };
}

/**
 * A GBFS station status. GBFS has no per-form-factor returning flag without the operators' own
 * vehicle types, so a station returns vehicles only while every form factor is open (MDS /stops
 * has the detail); free places of a closed form factor are disabled docks. Every station is
 * recounted on each controller tick: that is when it last reported.
 */
function gbfsStationStatus({ hub, statuses }: HubWithStatus, reported: Date) {
  const sum = (pick: (s: HubStatusRow) => number): number =>
    statuses.reduce((total, s) => total + pick(s), 0);
  return {
    station_id: hub.id,
    num_vehicles_available: sum((s) => s.vehicles_available),
    num_vehicles_disabled: sum((s) => s.vehicles - s.vehicles_available),
    num_docks_available: sum((s) => (s.open ? s.places_available : 0)),
    num_docks_disabled: sum((s) => (s.open ? 0 : s.places_available)),
    is_installed: true,
    is_renting: true,
    is_returning: statuses.length > 0 && statuses.every((s) => s.open),
    last_reported: rfc3339(reported),
  };
}
