import type { Knex } from 'knex';
import { METERS_PER_DEGREE } from '../../geo/distance';
import { geometryBbox, type BBox } from '../../geo/geometry';
import { FORM_FACTORS } from '../formFactors';
import { HubCounter, type KeyCount } from './counting';
import { NO_EVENTS, type HubEvent, type PendingEvents } from './events';
import {
  COMBINED,
  MAX_BUFFER_METERS,
  isPublicAt,
  type HubHistoryRow,
  type CountedHub,
  type HubStatusReason,
  type HubStatusRow,
  type StatusKey,
} from './model';
import { decideStatus } from './rules';
import { expand } from './shapes';
import {
  createHubStore,
  type HubStore,
  type StatusDelete,
  type StatusUpdate,
  type StatusWrite,
} from './store';

/**
 * Hub statuses from counts, for both writers of `hub_status`: the controller's tick
 * (jobs/microhubs) and a hub admin edit, which recounts its hub in the same transaction.
 */

/** The status writes one count leads to. */
export interface StatusPlan {
  inserts: StatusWrite[];
  updates: StatusUpdate[];
  deletes: StatusDelete[];
}

export function isRetired(hub: Pick<CountedHub, 'retire_at'>, at: Date): boolean {
  return hub.retire_at !== null && hub.retire_at <= at;
}

function sameBreakdown(a: HubStatusRow['breakdown'], b: HubStatusRow['breakdown']): boolean {
  return FORM_FACTORS.every((f) => {
    const x = a[f];
    const y = b[f];
    return x === y || (x !== undefined && y !== undefined && x[0] === y[0] && x[1] === y[1]);
  });
}

function differs(previous: HubStatusRow, next: StatusWrite): boolean {
  return (
    previous.vehicles !== next.vehicles ||
    previous.vehicles_available !== next.vehicles_available ||
    previous.capacity !== next.capacity ||
    previous.places_available !== next.places_available ||
    previous.open !== next.open ||
    previous.reason !== next.reason ||
    !sameBreakdown(previous.breakdown, next.breakdown)
  );
}

const keyOf = (hubId: string, key: string): string => `${hubId}/${key}`;

/**
 * Applies the rules to fresh counts. `hubs` are the hubs this plan is about (retired ones
 * included, so their statuses end); `previous` their current statuses. Only what differs is
 * written: a status row that already says the same thing is left alone.
 */
export function planStatuses(
  hubs: readonly CountedHub[],
  counts: ReadonlyMap<string, ReadonlyMap<StatusKey, KeyCount>>,
  previous: readonly HubStatusRow[],
  at: Date,
  reopenFreeRatio: number,
): StatusPlan {
  const atIso = at.toISOString();
  const previousByKey = new Map(previous.map((row) => [keyOf(row.hub_id, row.form_factor), row]));
  const hubsById = new Map(hubs.map((hub) => [hub.id, hub]));
  const current = new Set<string>();
  const plan: StatusPlan = { inserts: [], updates: [], deletes: [] };

  for (const hub of hubs) {
    if (isRetired(hub, at)) continue;
    const perKey = counts.get(hub.id);
    if (!perKey) continue;
    for (const [key, count] of perKey) {
      const id = keyOf(hub.id, key);
      current.add(id);
      const capacity = hub.capacity[key] ?? 0;
      const before = previousByKey.get(id);
      const outcome = decideStatus({
        control: hub.control,
        effective: hub.effective_from <= at,
        vehicles: count.vehicles,
        capacity,
        previousOpen: before?.open,
        reopenFreeRatio,
      });
      const write: StatusWrite = {
        hub_id: hub.id,
        form_factor: key,
        revision: hub.revision,
        vehicles: count.vehicles,
        vehicles_available: count.rentable,
        capacity,
        places_available: outcome.placesAvailable,
        open: outcome.open,
        reason: outcome.reason,
        since: before && before.open === outcome.open ? before.since.toISOString() : atIso,
        updated_at: atIso,
        breakdown: count.breakdown,
      };
      if (!before) plan.inserts.push(write);
      else if (differs(before, write)) {
        plan.updates.push({
          ...write,
          prev_version: before.version,
          flipped: before.open !== outcome.open,
        });
      }
    }
  }

  for (const row of previous) {
    if (current.has(keyOf(row.hub_id, row.form_factor))) continue;
    const hub = hubsById.get(row.hub_id);
    plan.deletes.push({
      hub_id: row.hub_id,
      form_factor: row.form_factor,
      prev_version: row.version,
      reason: !hub || isRetired(hub, at) ? 'RETIRED' : 'REMOVED',
    });
  }
  return plan;
}

function toEvent(
  row: HubStatusRow,
  hub: CountedHub,
  at: Date,
  ended?: Extract<HubStatusReason, 'RETIRED' | 'REMOVED'>,
): HubEvent {
  return {
    hubId: row.hub_id,
    municipalityCode: hub.municipality_code,
    formFactor: row.form_factor === COMBINED ? null : row.form_factor,
    open: ended ? false : row.open,
    reason: ended ?? row.reason,
    vehicles: row.vehicles,
    vehiclesAvailable: row.vehicles_available,
    capacity: row.capacity,
    available: row.places_available,
    since: (ended ? at : row.since).toISOString(),
    at: at.toISOString(),
    // A retiring hub was public until now: its subscribers hear that it is gone.
    public: ended === 'RETIRED' ? hub.effective_from <= at : isPublicAt(hub, at),
    ownerOrganisationId: hub.owner_organisation_id,
  };
}

function historyOf(
  row: HubStatusRow,
  at: Date,
  ended?: Extract<HubStatusReason, 'RETIRED' | 'REMOVED'>,
): Omit<HubHistoryRow, 'id'> {
  return {
    hub_id: row.hub_id,
    form_factor: row.form_factor,
    open: ended ? false : row.open,
    reason: ended ?? row.reason,
    vehicles: row.vehicles,
    capacity: row.capacity,
    places_available: row.places_available,
    at,
  };
}

/**
 * Writes a plan inside the caller's transaction. Each write is a compare-and-set (the previous
 * status version, the hub revision that was counted), so when two writers race only one records
 * a change; the history and the events cover exactly the rows this call changed. Publish the
 * events after the transaction commits.
 */
export async function applyStatusPlan(
  store: HubStore,
  plan: StatusPlan,
  hubs: ReadonlyMap<string, CountedHub>,
  at: Date,
): Promise<{ events: PendingEvents; changed: number }> {
  const inserted = await store.insertStatuses(plan.inserts);
  const updated = await store.updateStatuses(plan.updates);
  const deleted = await store.deleteStatuses(plan.deletes);
  const events: PendingEvents = { status: [], occupancy: [] };
  const history: Omit<HubHistoryRow, 'id'>[] = [];

  for (const row of inserted) {
    const hub = hubs.get(row.hub_id);
    if (!hub) continue;
    history.push(historyOf(row, at));
    const event = toEvent(row, hub, at);
    events.status.push(event);
    events.occupancy.push(event);
  }
  for (const row of updated) {
    const hub = hubs.get(row.hub_id);
    if (!hub) continue;
    const event = toEvent(row, hub, at);
    if (row.flipped) {
      history.push(historyOf(row, at));
      events.status.push(event);
    }
    events.occupancy.push(event);
  }
  for (const row of deleted) {
    const hub = hubs.get(row.hub_id);
    if (!hub) continue;
    history.push(historyOf(row, at, row.end_reason));
    const event = toEvent(row, hub, at, row.end_reason);
    events.status.push(event);
    events.occupancy.push(event);
  }
  await store.insertHistory(history);
  return { events, changed: inserted.length + updated.length + deleted.length };
}

/** The box that holds every vehicle that can count for these hubs. */
export function reach(hubs: readonly CountedHub[]): BBox | undefined {
  let box: BBox | undefined;
  for (const hub of hubs) {
    const bounds: BBox =
      hub.radius_meters !== null || !hub.geometry
        ? [
            hub.center_lng - (hub.radius_meters ?? 0) / METERS_PER_DEGREE / cosine(hub.center_lat),
            hub.center_lat - (hub.radius_meters ?? 0) / METERS_PER_DEGREE,
            hub.center_lng + (hub.radius_meters ?? 0) / METERS_PER_DEGREE / cosine(hub.center_lat),
            hub.center_lat + (hub.radius_meters ?? 0) / METERS_PER_DEGREE,
          ]
        : geometryBbox(hub.geometry);
    const grown = expand(bounds, hub.buffer_meters);
    box = box
      ? [
          Math.min(box[0], grown.minLng),
          Math.min(box[1], grown.minLat),
          Math.max(box[2], grown.maxLng),
          Math.max(box[3], grown.maxLat),
        ]
      : [grown.minLng, grown.minLat, grown.maxLng, grown.maxLat];
  }
  return box;
}

function cosine(lat: number): number {
  return Math.cos((lat * Math.PI) / 180);
}

/**
 * Recounts some hubs right away, inside a mutation's transaction (after the hub was created or
 * edited), so its status follows the edit at once. Hubs near them take part in the count, so a
 * vehicle between two hubs goes to the nearer one as in the controller's tick.
 */
export async function refreshHubStatuses(
  trx: Knex.Transaction,
  hubIds: readonly string[],
  at: Date,
  reopenFreeRatio: number,
): Promise<PendingEvents> {
  const store = createHubStore(trx);
  const targets = await store.byIds(hubIds);
  if (targets.length === 0) return NO_EVENTS;
  const active = targets.filter((hub) => !isRetired(hub, at));
  const box = reach(active);
  let counts: Map<string, Map<StatusKey, KeyCount>> = new Map();
  if (box) {
    const around = expand(box, MAX_BUFFER_METERS);
    const neighbours = await store.near(
      [around.minLng, around.minLat, around.maxLng, around.maxLat],
      at,
    );
    const ids = new Set(active.map((hub) => hub.id));
    const counter = new HubCounter([...active, ...neighbours.filter((hub) => !ids.has(hub.id))]);
    counts = counter.count(await store.parkedVehicles(box));
  }
  const previous = await store.statuses(hubIds);
  const plan = planStatuses(targets, counts, previous, at, reopenFreeRatio);
  const { events } = await applyStatusPlan(
    store,
    plan,
    new Map(targets.map((hub) => [hub.id, hub])),
    at,
  );
  return events;
}
