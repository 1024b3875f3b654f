import { forEachListed } from './checks';
import { wrongDocument, type DocumentKind } from './detect';
import { listProblem, screenList } from './quarantine';
import { fetchJson, MDS_ACCEPT, type ListRead, type ReadContext } from './fetchDocument';
import { mdsFormFactor } from './formFactor';
import { childPath } from './jsonPath';
import type { ListedBody } from './listMemo';
import { mdsValidator, type MdsEndpoint, type MdsMode } from './mdsSchemas';
import { feedProblem, invalidData } from './problem';
import type { FeedConfig, QuarantinedRecord, VehicleTypeInfo } from './types';
import { schemaError } from './validate';

/** Pages of one list a provider may split with JSON:API `links.next`; more is a runaway feed. */
export const MAX_MDS_PAGES = 1000;

export interface MdsGps {
  lat: number;
  lng: number;
}

export interface MdsVehicle {
  device_id: string;
  vehicle_id: string;
  vehicle_type: string;
  propulsion_types: string[];
}

export interface MdsVehicleStatus {
  device_id: string;
  last_event: { vehicle_state: string; timestamp: number; location?: MdsGps };
  last_telemetry: { timestamp: number; location: MdsGps };
}

export interface MdsTrip {
  trip_id: string;
  device_id: string;
  start_time: number;
  end_time: number;
  start_location: MdsGps;
  end_location: MdsGps;
  distance: number;
  trip_type?: string[];
}

export interface MdsPage {
  url: string;
  status: number;
  body: unknown;
  /** Set when the page was read record by record (see ListMemo). */
  listed?: ListedBody;
}

/** One element of a paged list, with where it was found (its path is built by `listedPath`). */
export interface Listed<T> {
  item: T;
  url: string;
  listKey: string;
  index: number;
}

/** `vehicles[3]`: the path of a listed element in its page. */
export function listedPath(entry: Listed<unknown>): string {
  return childPath(entry.listKey, entry.index);
}

/** `<feed url>/vehicles`, keeping any query string of the configured URL. */
export function endpointUrl(
  feed: FeedConfig,
  path: string,
  query?: Record<string, string>,
): string {
  const url = new URL(feed.url);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${path}`;
  for (const [key, value] of Object.entries(query ?? {})) url.searchParams.set(key, value);
  return url.toString();
}

function nextLink(body: unknown): string | null {
  const next = (body as { links?: { next?: unknown } } | null)?.links?.next;
  return typeof next === 'string' && next !== '' ? next : null;
}

/** Every page of a list, following `links.next` until it is null; a page seen twice is a loop. */
export async function fetchPages(
  context: ReadContext,
  firstUrl: string,
  list?: ListRead,
): Promise<MdsPage[]> {
  const pages: MdsPage[] = [];
  const seen = new Set<string>();
  let url: string | null = firstUrl;
  while (url !== null) {
    seen.add(url);
    const page = await fetchJson(context, url, MDS_ACCEPT, { list });
    pages.push(page);
    const next = nextLink(page.body);
    if (next === null) break;
    const resolved = new URL(next, page.url).toString();
    if (seen.has(resolved) || pages.length >= MAX_MDS_PAGES) {
      throw feedProblem(
        'INVALID_DATA',
        page.url,
        seen.has(resolved)
          ? `links.next: points back to ${resolved}, which was already read`
          : `links.next: more than ${MAX_MDS_PAGES} pages`,
        'links.next',
      );
    }
    url = resolved;
  }
  return pages;
}

/**
 * A provider_id serves one mode (MDS Provider "Modes"): car-share when the feed is configured for
 * cars or, without a default, when every listed vehicle is a car; micromobility otherwise.
 */
export function mdsMode(feed: FeedConfig, vehiclePages: MdsPage[]): MdsMode {
  if (feed.defaultFormFactor !== null) {
    return feed.defaultFormFactor === 'CAR' ? 'car-share' : 'micromobility';
  }
  const types = vehiclePages.flatMap((page) => {
    const list = (page.body as { vehicles?: unknown } | null)?.vehicles;
    return Array.isArray(list)
      ? list.map((v) => (v as { vehicle_type?: unknown } | null)?.vehicle_type)
      : [];
  });
  return types.length > 0 && types.every((t) => t === 'car') ? 'car-share' : 'micromobility';
}

const ENDPOINT_KINDS: Record<MdsEndpoint, DocumentKind> = {
  vehicles: 'MDS_VEHICLES',
  vehicles_status: 'MDS_VEHICLES_STATUS',
  trips: 'MDS_TRIPS',
};

/** A page that is another kind of document (a GBFS file, another endpoint's answer) says so. */
function expectMds(page: MdsPage, endpoint: MdsEndpoint): void {
  const message = wrongDocument(page.body, ENDPOINT_KINDS[endpoint], '2.0', (v) =>
    /^2\./.test(v ?? ''),
  );
  if (message !== null) throw feedProblem('WRONG_DOCUMENT', page.url, message);
}

/**
 * Checks each page (positions first, via `check`, then the schema of the endpoint and mode)
 * and returns the elements of `listKey` across pages with their URL and index.
 */
export function validatedList<T>(
  pages: MdsPage[],
  mode: MdsMode,
  endpoint: MdsEndpoint,
  listKey: string,
  check?: {
    /** A cheap test that an element passes `item`; only elements failing it are given to `item`. */
    isFine: (item: unknown) => boolean;
    item: (url: string, item: unknown, path: string) => void;
  },
): Listed<T>[] {
  const listed: Listed<T>[] = [];
  for (const page of pages) {
    expectMds(page, endpoint);
    const validate = mdsValidator(mode, endpoint);
    const known = (index: number) => page.listed?.isKnown(index, validate) ?? false;
    if (check) {
      forEachListed(
        page.body,
        [listKey],
        (item, index) => known(index) || check.isFine(item),
        (item, path) => check.item(page.url, item, path),
      );
    }
    const list = (page.body as Record<string, T[]> | null)?.[listKey];
    const problem = listProblem(
      validate,
      page.body,
      [listKey],
      Array.isArray(list) ? list : [],
      known,
    );
    if (problem) throw schemaError(problem, page.url, `MDS 2.0 ${mode} ${endpoint}`);
    const items = list ?? [];
    page.listed?.remember(
      items.map((_, index) => index),
      validate,
    );
    const { url } = page;
    for (let index = 0; index < items.length; index++) {
      listed.push({ item: items[index] as T, url, listKey, index });
    }
  }
  return listed;
}

/**
 * Like `validatedList`, but a bad element (a bad position, a repeated id, a record the schema
 * refuses) is quarantined with its reason instead of failing the page; the rest is returned.
 */
export function screenedList<T>(
  pages: MdsPage[],
  mode: MdsMode,
  endpoint: MdsEndpoint,
  listKey: string,
  idKey: string,
  check: {
    isFine: (item: unknown) => boolean;
    item: (url: string, item: unknown, path: string) => void;
  },
): { listed: Listed<T>[]; quarantined: QuarantinedRecord[] } {
  const listed: Listed<T>[] = [];
  const quarantined: QuarantinedRecord[] = [];
  const seen = new Set<string>();
  let offset = 0;
  for (const page of pages) {
    expectMds(page, endpoint);
    const screened = screenList<T>({
      url: page.url,
      body: page.body,
      listKeys: [listKey],
      idKey,
      isFine: check.isFine,
      check: (item, path) => check.item(page.url, item, path),
      validate: mdsValidator(mode, endpoint),
      schemaName: `MDS 2.0 ${mode} ${endpoint}`,
      listed: page.listed,
    });
    for (const q of screened.quarantined) quarantined.push({ ...q, position: offset + q.position });
    for (const { item, position } of screened.kept) {
      const id = (item as Record<string, unknown>)[idKey];
      const entry = { item, url: page.url, listKey, index: position };
      if (typeof id === 'string' && seen.has(id)) {
        const path = `${listedPath(entry)}.${idKey}`;
        quarantined.push({
          position: offset + position,
          vehicleId: id,
          path,
          reason: `${path}: duplicate ${idKey} "${id}" (listed on an earlier page too)`,
          record: item,
        });
        continue;
      }
      if (typeof id === 'string') seen.add(id);
      listed.push(entry);
    }
    const list = (page.body as Record<string, unknown[]> | null)?.[listKey];
    offset += Array.isArray(list) ? list.length : 0;
  }
  return { listed, quarantined };
}

/** Elements by id; an id listed twice (on one page or across pages) is INVALID_DATA. */
export function uniqueBy<T>(
  listed: Listed<T>[],
  idOf: (item: T) => string,
  idKey: string,
): Map<string, Listed<T>> {
  const byId = new Map<string, Listed<T>>();
  for (const entry of listed) {
    const id = idOf(entry.item);
    const first = byId.get(id);
    if (first) {
      const firstPath = listedPath(first);
      const where = first.url === entry.url ? firstPath : `${firstPath} of ${first.url}`;
      throw invalidData(
        entry.url,
        `${listedPath(entry)}.${idKey}`,
        `duplicate ${idKey} "${id}" (also at ${where})`,
      );
    }
    byId.set(id, entry);
  }
  return byId;
}

/** `electric+human`: the propulsion types, sorted (one type, the common case, needs no copy). */
function propulsionKey(types: string[]): string {
  return types.length === 1 ? String(types[0] ?? '') : [...types].sort().join('+');
}

/** The id `mdsVehicleType` gives a vehicle, without building the type. */
export function mdsVehicleTypeId(vehicle: MdsVehicle): string {
  return `${vehicle.vehicle_type}/${propulsionKey(vehicle.propulsion_types)}`;
}

/** MDS has no vehicle-type ids: a type is its vehicle_type and propulsion, e.g. `moped/electric`. */
export function mdsVehicleType(vehicle: MdsVehicle): VehicleTypeInfo {
  const propulsionType = propulsionKey(vehicle.propulsion_types);
  return {
    id: `${vehicle.vehicle_type}/${propulsionType}`,
    formFactor: mdsFormFactor(vehicle.vehicle_type),
    propulsionType,
    name: null,
  };
}
