import type { FeedType } from '../domain/fleet';
import type { FormFactor } from '../domain/formFactors';
import {
  describeDocument,
  detectDocument,
  listedFeeds,
  mdsBaseUrl,
  readableAs,
  type DetectedDocument,
} from './detect';
import { fetchJson, GBFS_ACCEPT } from './fetchDocument';
import { readContext, readFeed, type ReadOptions } from './index';
import { asResult } from './problem';
import type { FeedAuth, FeedConfig, FeedError } from './types';

/** What an administrator asks to register, before it is stored. */
export interface FeedRegistration {
  operatorId: string;
  url: string;
  /** Null: the type the document is read as. */
  type: FeedType | null;
  auth: FeedAuth;
  vehicleTypesUrl: string | null;
  defaultFormFactor: FormFactor | null;
  defaultVehicleTypeId: string | null;
}

/** Which argument a refusal is about. */
export type RegistrationField = 'url' | 'type' | 'vehicleTypesUrl';

export type VerifiedFeed =
  | {
      ok: true;
      type: FeedType;
      /** Given, or found next to a vehicle file registered directly. */
      vehicleTypesUrl: string | null;
      /** "a GBFS 3.0 vehicle_status" */
      document: string;
      /** Vehicles the read found (a first look, nothing is stored). */
      vehicles: number;
      /** Stations the read found (a docked system). */
      stations: number;
    }
  | { ok: false; field: RegistrationField; message: string };

const UNREACHABLE_HINT = 'give verify: false to register a feed that is not reachable yet';

function errorText(error: FeedError): string {
  return `${error.message}${error.url ? ` (${error.url})` : ''}`;
}

const refuse = (field: RegistrationField, message: string): VerifiedFeed => ({
  ok: false,
  field,
  message,
});

/**
 * The vehicle_types of a vehicle file registered directly, where the operator publishes them:
 * listed by a gbfs.json in the same folder, else a vehicle_types.json beside it.
 */
async function findVehicleTypes(
  url: string,
  options: ReadOptions,
  auth: FeedAuth,
): Promise<string | null> {
  const context = readContext(auth, options);
  const discoveryUrl = new URL('gbfs.json', url).toString();
  const discovery = await asResult(() => fetchJson(context, discoveryUrl, GBFS_ACCEPT));
  if (discovery.ok && detectDocument(discovery.value.body).kind === 'GBFS_DISCOVERY') {
    const listed = listedFeeds(discovery.value.body, discovery.value.url).find(
      (f) => f.name === 'vehicle_types',
    );
    if (listed) return listed.url;
  }
  const besideUrl = new URL('vehicle_types.json', url).toString();
  const beside = await asResult(() => fetchJson(context, besideUrl, GBFS_ACCEPT));
  if (beside.ok && detectDocument(beside.value.body).kind === 'GBFS_VEHICLE_TYPES') {
    return beside.value.url;
  }
  return null;
}

function namesVehicleTypes(body: unknown, detected: DetectedDocument): boolean {
  const data = (body as { data?: Record<string, unknown> }).data ?? {};
  const list = detected.kind === 'GBFS_FREE_BIKE_STATUS' ? data.bikes : data.vehicles;
  return (
    Array.isArray(list) &&
    list.some(
      (v) => typeof (v as { vehicle_type_id?: unknown } | null)?.vehicle_type_id === 'string',
    )
  );
}

/** The type the document at the URL is read as, or a refusal saying what it is instead. */
function typeFor(
  registration: FeedRegistration,
  detected: DetectedDocument,
): { type: FeedType } | { refusal: VerifiedFeed } {
  const { url } = registration;
  const what = describeDocument(detected);
  const base = detected.kind.startsWith('MDS') ? mdsBaseUrl(url) : null;
  if (base !== null) {
    return {
      refusal: refuse(
        'url',
        `${url} is ${what}: register the Provider API's base URL ${base} as MDS_VEHICLES`,
      ),
    };
  }
  const readable = readableAs(detected);
  if ('reason' in readable) {
    return { refusal: refuse('url', `${url} is ${what}: ${readable.reason}`) };
  }
  const wanted = registration.type;
  if (wanted !== null && wanted !== readable.type && wanted !== readable.also) {
    return {
      refusal: refuse(
        'type',
        `${url} is ${what}, which a ${wanted} feed does not read: register it as ${readable.type}`,
      ),
    };
  }
  return { type: wanted ?? readable.type };
}

/**
 * Checks a feed before it is registered: fetches the URL once (with the feed's credentials),
 * tells what the document is (discovery, vehicle file, station file, MDS response; its version)
 * and which type reads it, finds the vehicle_types of a vehicle file registered directly, and
 * reads the feed as the importer would. Refuses, saying what the URL is and what to register
 * instead, when the importer could not read it or would not know its vehicles' form factors.
 */
export async function verifyFeed(
  registration: FeedRegistration,
  options: ReadOptions,
): Promise<VerifiedFeed> {
  const { url } = registration;
  const first = await asResult(() =>
    fetchJson(readContext(registration.auth, options), url, GBFS_ACCEPT),
  );
  let type: FeedType;
  let vehicleTypesUrl = registration.vehicleTypesUrl;
  let document = 'an MDS Provider API';
  const mdsWanted = registration.type === null || registration.type === 'MDS_VEHICLES';
  const detected = first.ok ? detectDocument(first.value.body) : null;
  if (detected === null || (detected.kind === 'UNKNOWN' && mdsWanted)) {
    // No document at the URL itself: an MDS Provider API's base answers nothing of its own.
    if (!mdsWanted) {
      const error = first.ok ? null : first.error;
      return refuse(
        'url',
        `could not read ${url}: ${error ? errorText(error) : ''}; ${UNREACHABLE_HINT}`,
      );
    }
    type = 'MDS_VEHICLES';
  } else {
    const typed = typeFor(registration, detected);
    if ('refusal' in typed) return typed.refusal;
    type = typed.type;
    document = describeDocument(detected);
    const direct =
      detected.kind === 'GBFS_FREE_BIKE_STATUS' || detected.kind === 'GBFS_VEHICLE_STATUS';
    if (direct && vehicleTypesUrl === null && registration.defaultFormFactor === null) {
      const body = first.ok ? first.value.body : null;
      if (!namesVehicleTypes(body, detected)) {
        return refuse(
          'url',
          `${url} is ${document} whose vehicles name no vehicle type: give defaultFormFactor (the form factor of its fleet)`,
        );
      }
      vehicleTypesUrl = await findVehicleTypes(url, options, registration.auth);
      if (vehicleTypesUrl === null) {
        return refuse(
          'vehicleTypesUrl',
          `${url} is ${document} registered directly: its vehicles' form factors are in the operator's vehicle_types, which is neither listed by a gbfs.json nor published as vehicle_types.json beside it. Give vehicleTypesUrl (or defaultFormFactor), or register the operator's gbfs.json as GBFS_DISCOVERY`,
        );
      }
    }
  }
  const feed: FeedConfig = {
    id: 'verification',
    operatorId: registration.operatorId,
    url,
    type,
    auth: registration.auth,
    defaultFormFactor: registration.defaultFormFactor,
    defaultVehicleTypeId: registration.defaultVehicleTypeId,
    rotatingIds: false,
    vehicleTypesUrl,
  };
  const read = await readFeed(feed, options);
  if (!read.ok && registration.type === null && !first.ok) {
    return refuse(
      'url',
      `could not read ${url} (${errorText(first.error)}), nor as an MDS Provider API (${errorText(read.error)}); ${UNREACHABLE_HINT}`,
    );
  }
  if (!read.ok) {
    const field: RegistrationField =
      vehicleTypesUrl !== null && read.error.url === vehicleTypesUrl ? 'vehicleTypesUrl' : 'url';
    const known = detected === null || detected.kind === 'UNKNOWN' ? null : document;
    return refuse(
      field,
      `reading ${url}${known ? ` (${known})` : ''} as ${type} failed: ${read.error.kind}: ${errorText(read.error)}; ${UNREACHABLE_HINT}`,
    );
  }
  const { stations, vehicleTypes } = read.snapshot;
  if (stations && vehicleTypes.length === 0 && registration.defaultFormFactor === null) {
    return refuse(
      'url',
      `${url} is ${document} with ${stations.length} stations and no vehicle_types: give defaultFormFactor (the form factor of its docked vehicles, e.g. BICYCLE)`,
    );
  }
  return {
    ok: true,
    type,
    vehicleTypesUrl,
    document,
    vehicles: read.snapshot.vehicles.length,
    stations: stations?.length ?? 0,
  };
}
