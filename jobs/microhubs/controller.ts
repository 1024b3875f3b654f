import type { Db } from '../../lib/db';
import { HubCounter, LiveHubCounts } from '../../lib/domain/hubs/counting';
import { publishHubEvents } from '../../lib/domain/hubs/events';
import type { CountedHub, MicrohubSettings } from '../../lib/domain/hubs/model';
import { applyStatusPlan, isRetired, planStatuses, reach } from '../../lib/domain/hubs/recount';
import { createHubStore } from '../../lib/domain/hubs/store';
import type { Logger } from '../../lib/logger';
import type { PubSub } from '../../lib/pubsub';
import { createControllerState } from './controllerState';
import {
  pruneChanges,
  readAll,
  readChanges,
  type ChangesRead,
  type ReadPosition,
} from './parkedVehicles';

export interface TickReport {
  at: Date;
  hubs: number;
  /** Parked vehicles that count for a hub. */
  vehicles: number;
  /** `full`: every parked vehicle was read; `changes`: only those that changed since last tick. */
  read: 'full' | 'changes';
  /** Vehicle rows read. */
  vehiclesRead: number;
  /** Status rows inserted, updated or deleted. */
  changes: number;
  statusEvents: number;
  occupancyEvents: number;
  durationMs: number;
  /** Where the time went: reading hubs, statuses and vehicles; counting; writing; publishing. */
  phasesMs: { load: number; count: number; write: number; publish: number };
}

export interface HubController {
  /** Counts every active hub once, writes what changed, then publishes the changes. */
  tick(): Promise<TickReport>;
}

export interface HubControllerOptions {
  db: Db;
  pubsub: PubSub;
  logger: Logger;
  settings: Pick<MicrohubSettings, 'reopenFreeRatio'>;
  now?: () => Date;
}

/** The counts of the current hubs, kept up to date from the vehicles that changed. */
interface Live {
  /** The hubs counted (id and revision of each): any edit, addition or retirement changes it. */
  signature: string;
  counts: LiveHubCounts;
  position: ReadPosition;
}

function signatureOf(hubs: readonly CountedHub[]): string {
  return hubs
    .map((hub) => `${hub.id}@${hub.revision}`)
    .sort()
    .join(',');
}

/**
 * The controller keeps the counts of the current hubs in memory. The first tick, and any tick
 * after the hubs changed (added, edited, retired), the active feeds changed or the change log no
 * longer reaches back to its last read, reads every parked vehicle within the hubs' reach; every
 * other tick reads only the vehicles that changed since its last read (hub_vehicle_changes) and
 * moves their counts. Both give the same counts (jobs/microhubs/__tests__/incremental.test.ts).
 */
export function createHubController(options: HubControllerOptions): HubController {
  const { db, pubsub, logger } = options;
  const now = options.now ?? (() => new Date());
  const store = createHubStore(db);
  let live: Live | undefined;
  /** The hubs read so far, by id: a hub is read again only when its revision changed. */
  const hubCache = new Map<string, CountedHub>();

  const currentHubs = async (at: Date): Promise<CountedHub[]> => {
    const revisions = await store.forTickRevisions(at);
    const stale = revisions.filter((r) => hubCache.get(r.id)?.revision !== r.revision);
    for (const hub of await store.forTick(stale.map((r) => r.id))) hubCache.set(hub.id, hub);
    const listed = new Set(revisions.map((r) => r.id));
    for (const id of hubCache.keys()) if (!listed.has(id)) hubCache.delete(id);
    // A hub deleted between the two reads is gone from both lists by the next tick.
    return revisions.flatMap((r) => hubCache.get(r.id) ?? []);
  };

  /** Counts every parked vehicle within the hubs' reach, afresh. */
  const countAll = async (active: readonly CountedHub[], signature: string) => {
    const counts = new LiveHubCounts(new HubCounter(active));
    // Without hubs nothing counts, but the read still marks where the next one starts.
    const { position, read } = await readAll(db, reach(active) ?? [0, 0, 0, 0], (vehicles) => {
      for (const [feedId, vehicleId, vehicle] of vehicles) counts.set(feedId, vehicleId, vehicle);
    });
    return { live: { signature, counts, position }, read };
  };

  /** The counts of these hubs now: moved by the vehicles that changed, or counted afresh. */
  const countNow = async (
    active: readonly CountedHub[],
    changed: ChangesRead | undefined,
  ): Promise<{ live: Live; read: TickReport['read']; vehiclesRead: number }> => {
    const signature = signatureOf(active);
    if (live && changed && live.signature === signature) {
      for (const [feedId, vehicleId, vehicle] of changed.changes) {
        live.counts.set(feedId, vehicleId, vehicle);
      }
      live.position = changed.position;
      return { live, read: 'changes', vehiclesRead: changed.changes.length };
    }
    // Forgotten first: should the full count fail, the next tick starts afresh too.
    live = undefined;
    const fresh = await countAll(active, signature);
    live = fresh.live;
    return { live: fresh.live, read: 'full', vehiclesRead: fresh.read };
  };

  return {
    async tick() {
      const started = performance.now();
      const at = now();
      // The changes are read along with the hubs; if the hubs changed, everything is read after.
      const [hubs, previous, changed] = await Promise.all([
        currentHubs(at),
        store.statuses(),
        live ? readChanges(db, live.position) : undefined,
      ]);
      const active = hubs.filter((hub) => !isRetired(hub, at));
      const { live: current, read, vehiclesRead } = await countNow(active, changed);
      const loaded = performance.now();
      const counts = current.counts.counts();
      const plan = planStatuses(hubs, counts, previous, at, options.settings.reopenFreeRatio);
      const counted = performance.now();
      const hubsById = new Map(hubs.map((hub) => [hub.id, hub]));
      const { events, changed: changes } = await db.transaction(async (trx) => {
        const result = await applyStatusPlan(createHubStore(trx), plan, hubsById, at);
        await createControllerState(trx).recordTick({
          at,
          hubs: active.length,
          vehicles: current.counts.vehicles,
          durationMs: Math.round(performance.now() - started),
        });
        return result;
      });
      const written = performance.now();
      await Promise.all([publishHubEvents(pubsub, events, logger), pruneChanges(db)]);
      const finished = performance.now();
      return {
        at,
        hubs: active.length,
        vehicles: current.counts.vehicles,
        read,
        vehiclesRead,
        changes,
        statusEvents: events.status.length,
        occupancyEvents: events.occupancy.length,
        durationMs: finished - started,
        phasesMs: {
          load: loaded - started,
          count: counted - loaded,
          write: written - counted,
          publish: finished - written,
        },
      };
    },
  };
}
