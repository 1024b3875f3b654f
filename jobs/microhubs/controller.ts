import type { Db } from '../../lib/db';
import { HubCounter } from '../../lib/domain/hubs/counting';
import { publishHubEvents } from '../../lib/domain/hubs/events';
import type { CountedHub, MicrohubSettings } from '../../lib/domain/hubs/model';
import {
  applyStatusPlan,
  covers,
  isRetired,
  planStatuses,
  reach,
} from '../../lib/domain/hubs/recount';
import { createHubStore } from '../../lib/domain/hubs/store';
import type { BBox } from '../../lib/geo/geometry';
import type { Logger } from '../../lib/logger';
import type { PubSub } from '../../lib/pubsub';
import { createControllerState } from './controllerState';

export interface TickReport {
  at: Date;
  hubs: number;
  vehicles: number;
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

export function createHubController(options: HubControllerOptions): HubController {
  const { db, pubsub, logger } = options;
  const now = options.now ?? (() => new Date());
  const store = createHubStore(db);
  // The grid is rebuilt only when a hub was added, edited or retired.
  let counter: { signature: string; counter: HubCounter } | undefined;
  let lastReach: BBox | undefined;

  const counterFor = (hubs: readonly CountedHub[]): HubCounter => {
    const signature = hubs.map((hub) => `${hub.id}@${hub.revision}`).join(',');
    if (counter?.signature !== signature) {
      counter = { signature, counter: new HubCounter(hubs) };
    }
    return counter.counter;
  };

  return {
    async tick() {
      const started = performance.now();
      const at = now();
      // Vehicles load in parallel, within the area of the hubs of the last tick (everything the
      // first time); only if the hubs now reach beyond it are they loaded again.
      const [hubs, previous, nearby] = await Promise.all([
        store.forTick(at),
        store.statuses(),
        store.parkedVehicles(lastReach),
      ]);
      const active = hubs.filter((hub) => !isRetired(hub, at));
      const box = reach(active);
      let vehicles = nearby;
      if (!box) vehicles = [];
      else if (lastReach && !covers(lastReach, box)) vehicles = await store.parkedVehicles(box);
      lastReach = box;
      const loaded = performance.now();
      const counts = counterFor(active).count(vehicles);
      const plan = planStatuses(hubs, counts, previous, at, options.settings.reopenFreeRatio);
      const counted = performance.now();
      const hubsById = new Map(hubs.map((hub) => [hub.id, hub]));
      const { events, changed } = await db.transaction(async (trx) => {
        const result = await applyStatusPlan(createHubStore(trx), plan, hubsById, at);
        await createControllerState(trx).recordTick({
          at,
          hubs: active.length,
          vehicles: vehicles.length,
          durationMs: Math.round(performance.now() - started),
        });
        return result;
      });
      const written = performance.now();
      await publishHubEvents(pubsub, events, logger);
      const finished = performance.now();
      return {
        at,
        hubs: active.length,
        vehicles: vehicles.length,
        changes: changed,
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
