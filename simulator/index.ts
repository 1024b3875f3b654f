import { HOUR } from '../lib/units';
import { Fleet } from './fleet';
import type {
  CompletedTrip,
  FeedFaults,
  FleetChange,
  OperatorOptions,
  VehicleTruth,
} from './model';
import { createSimulatorServer, feedUrls, type FeedUrls } from './server';
import { DEFAULT_MUNICIPALITIES, loadMunicipalities, ServiceArea } from './serviceArea';

export type {
  CompletedTrip,
  FeedFaults,
  FleetChange,
  OperatorOptions,
  VehicleState,
  VehicleTruth,
} from './model';
export type { FeedUrls } from './server';
export { DEFAULT_MUNICIPALITIES } from './serviceArea';
export { demoOperators } from './operators';

export interface FeedSimulatorOptions {
  operators: OperatorOptions[];
  seed: number;
  /** CBS codes of the municipalities to spread vehicles over; default DEFAULT_MUNICIPALITIES. */
  municipalities?: string[];
  /** The simulated clock's start (after 2018: MDS timestamps must be); default now. */
  startTime?: Date;
  /** How long completed trips stay available on MDS /trips; default 48 hours. */
  tripRetentionMs?: number;
  /** Told of every change to a vehicle as it happens, the fleet's deployment included. */
  observer?: (change: FleetChange) => void;
}

export interface FeedSimulator {
  start(port: number, host?: string): Promise<{ url: string; port: number }>;
  /** Stops the server and the realtime clock; safe to call more than once. */
  stop(): Promise<void>;
  /** Moves the simulated clock forward, deterministically (same seed, same calls, same feeds). */
  advance(ms: number): void;
  /**
   * Lets the simulated clock follow the wall clock, stepping every `tickMs`. A clock behind the
   * wall clock (a history just simulated) stays that far behind.
   */
  startRealtime(tickMs: number): void;
  /** The feed URLs of an operator (after `start`). */
  feedUrls(operatorId: string): FeedUrls;
  /** The simulated time. */
  now(): Date;
  /** What an operator's feeds get wrong from now on (see FeedFaults). */
  setFaults(operatorId: string, faults: Partial<FeedFaults>): void;
  /** Every vehicle of the operator gets a new GBFS id; `renameTypes`: its type id changes too. */
  rekey(operatorId: string, renameTypes?: boolean): void;
  /** `count` new vehicles put on the street together. */
  deploy(operatorId: string, count: number): void;
  /** A van takes the `count` available vehicles nearest a place, puts them down elsewhere later. */
  rebalance(operatorId: string, count: number, awayMs: number): void;
  /** Completed trips of an operator that ended in [fromMs, toMs) (within the trip retention). */
  completedTrips(operatorId: string, fromMs: number, toMs: number): CompletedTrip[];
  /** Every completed trip still retained (tripRetentionMs), of every operator. */
  allCompletedTrips(): { operatorId: string; trip: CompletedTrip }[];
  /** Ground truth for tests: what every vehicle is doing now. */
  vehicleTruth(): VehicleTruth[];
}

/**
 * A simulated operator back end: N vehicles per operator, spread over real Dutch municipalities,
 * rented, reserved, relocated and disabled over time, served as GBFS 2.3, GBFS 3.0 and MDS 2.0
 * under `/<operatorId>/gbfs/2.3/gbfs.json`, `/<operatorId>/gbfs/3.0/gbfs.json` and
 * `/<operatorId>/mds` (`/vehicles`, `/vehicles/status`, `/trips?end_time=`).
 */
export function createFeedSimulator(options: FeedSimulatorOptions): FeedSimulator {
  const startMs = (options.startTime ?? new Date()).getTime();
  const area = new ServiceArea(
    loadMunicipalities(options.municipalities ?? DEFAULT_MUNICIPALITIES),
  );
  const fleet = new Fleet({
    operators: options.operators,
    seed: options.seed,
    area,
    startMs,
    tripRetentionMs: options.tripRetentionMs ?? 48 * HOUR,
    observer: options.observer,
  });
  const server = createSimulatorServer(fleet, startMs);
  let timer: NodeJS.Timeout | undefined;

  return {
    start: (port, host) => server.start(port, host),
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await server.stop();
    },
    advance: (ms) => fleet.advance(ms),
    startRealtime(tickMs) {
      if (timer) clearInterval(timer);
      const wallStart = Date.now();
      const simulatedStart = fleet.nowMs;
      timer = setInterval(() => {
        fleet.advance(simulatedStart + (Date.now() - wallStart) - fleet.nowMs);
      }, tickMs);
      timer.unref();
    },
    feedUrls(operatorId) {
      if (!server.url) throw new Error('the simulator is not started: call start() first');
      if (!fleet.operators.some((o) => o.id === operatorId)) {
        throw new Error(`no simulated operator "${operatorId}"`);
      }
      return feedUrls(server.url, operatorId);
    },
    now: () => new Date(fleet.nowMs),
    setFaults: (operatorId, faults) => fleet.setFaults(operatorId, faults),
    rekey: (operatorId, renameTypes) => fleet.rekey(operatorId, renameTypes),
    deploy: (operatorId, count) => fleet.deploy(operatorId, count),
    rebalance: (operatorId, count, awayMs) => fleet.rebalance(operatorId, count, awayMs),
    completedTrips(operatorId, fromMs, toMs) {
      const trips: CompletedTrip[] = [];
      for (let hour = Math.floor(fromMs / HOUR) * HOUR; hour < toMs; hour += HOUR) {
        for (const t of fleet.trips.endedIn(operatorId, hour)) {
          if (t.endMs >= fromMs && t.endMs < toMs) trips.push(t);
        }
      }
      return trips;
    },
    allCompletedTrips: () => [...fleet.trips.all()],
    vehicleTruth: () =>
      fleet.operators.flatMap((operator) =>
        operator.vehicles.map((v) => ({
          operatorId: operator.id,
          formFactor: operator.formFactor,
          deviceId: v.deviceId,
          state: v.state,
          lat: v.lat,
          lng: v.lng,
          parkedSinceMs: v.parkedSinceMs,
          parkedLat: v.parkedLat,
          parkedLng: v.parkedLng,
          stateSinceMs: v.eventMs,
          trip: v.trip ? { ...v.trip } : null,
        })),
      ),
  };
}
