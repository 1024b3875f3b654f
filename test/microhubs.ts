import { randomUUID } from 'node:crypto';
import { emptyEvents, type VehicleState } from '../jobs/importer/diff';
import { commitFeed, loadActiveFeeds, loadFeedState } from '../jobs/importer/store';
import { createMicrohubsControllerJob } from '../jobs/microhubs/microhubsController';
import type { JobContext } from '../jobs/types';
import type { Db } from '../lib/db';
import type { FormFactor } from '../lib/domain/formFactors';
import { parseHubEvent, type HubEvent } from '../lib/domain/hubs/events';
import type { HubCapacity, HubControl } from '../lib/domain/hubs/model';
import { circlePolygon } from '../lib/domain/hubs/shapes';
import { createHubStore } from '../lib/domain/hubs/store';
import type { FeedConfig } from '../lib/feeds/types';
import { METERS_PER_DEGREE } from '../lib/geo/distance';
import type { AreaGeometry } from '../lib/geo/geometry';
import { InProcessPubSub, RedisPubSub, type PubSub } from '../lib/pubsub';
import { silentLogger, TEST_CONFIG } from './db';

/** Dam square, Amsterdam (GM0363), and the square in front of Rotterdam Centraal (GM0599). */
export const DAM = { lat: 52.3731, lng: 4.8932 };
export const ROTTERDAM_CENTRAAL = { lat: 51.9236, lng: 4.4695 };

export const REDIS_URL = process.env.REDIS_URL;

/** Redis pub/sub when REDIS_URL is set (as in production), else in-process. */
export function testPubSub(): PubSub {
  return REDIS_URL ? new RedisPubSub(REDIS_URL, silentLogger) : new InProcessPubSub();
}

/** The point `north` and `east` metres from `from`. */
export function moved(
  from: { lat: number; lng: number },
  north: number,
  east: number,
): { lat: number; lng: number } {
  return {
    lat: from.lat + north / METERS_PER_DEGREE,
    lng: from.lng + east / (METERS_PER_DEGREE * Math.cos((from.lat * Math.PI) / 180)),
  };
}

/** A rectangle of `north` x `east` metres centred on `at`. */
export function rectangle(
  at: { lat: number; lng: number },
  north: number,
  east: number,
): AreaGeometry {
  const sw = moved(at, -north / 2, -east / 2);
  const ne = moved(at, north / 2, east / 2);
  return {
    type: 'Polygon',
    coordinates: [
      [
        [sw.lng, sw.lat],
        [ne.lng, sw.lat],
        [ne.lng, ne.lat],
        [sw.lng, ne.lat],
        [sw.lng, sw.lat],
      ],
    ],
  };
}

export interface ParkedSpec {
  id: string;
  lat: number;
  lng: number;
  formFactor?: FormFactor;
  reserved?: boolean;
  disabled?: boolean;
}

/**
 * An operator's feed whose current vehicles the test sets, written into `vehicle_state` by the
 * importer's own commit (`commitFeed`): a parked vehicle is a row with `gone_at` null; one that
 * drives off keeps its row with `gone_at` set (the importer keeps it for its reappearance rule).
 * No park events are written: the controller reads vehicle state only.
 */
export class Street {
  private feed: FeedConfig | undefined;

  constructor(
    private readonly db: Db,
    readonly operatorId = `op-${randomUUID().slice(0, 8)}`,
  ) {}

  async open(): Promise<this> {
    await this.db('operators').insert({ id: this.operatorId, name: this.operatorId });
    const [row] = await this.db('feeds')
      .insert({
        operator_id: this.operatorId,
        url: `http://feeds.invalid/${this.operatorId}/free_bike_status.json`,
        type: 'GBFS_FREE_BIKE_STATUS',
        default_form_factor: 'BICYCLE',
        // vehicles_now shows the vehicles of active feeds only; no import job reads this one.
        active: true,
      })
      .returning<{ id: string }[]>('id');
    const feeds = await loadActiveFeeds(this.db, 'GBFS_FREE_BIKE_STATUS');
    this.feed = feeds.find((feed) => feed.id === row?.id);
    return this;
  }

  private async commit(
    change: (vehicles: Map<string, VehicleState>) => VehicleState[],
  ): Promise<void> {
    const feed = this.feed;
    if (!feed) throw new Error('Street.open() first');
    const { status, vehicles } = await loadFeedState(this.db, feed.id);
    const upserts = change(vehicles);
    if (upserts.length === 0) return;
    const result = await commitFeed(this.db, {
      feed,
      expectedVersion: status.version,
      at: new Date(),
      snapshot: null,
      events: emptyEvents(),
      upserts,
      deletes: [],
      parkZones: [],
      zoneVersion: status.zoneVersion,
      lowCountSince: status.lowCountSince,
      vehicleTypes: null,
      systemName: null,
      health: null,
      watch: null,
    });
    if (!result.committed) throw new Error(`feed ${feed.id} was committed by someone else`);
  }

  async park(vehicles: ParkedSpec[], municipalityCode = 'GM0363'): Promise<void> {
    const now = new Date();
    await this.commit(() =>
      vehicles.map((v) => ({
        vehicleId: v.id,
        lat: v.lat,
        lng: v.lng,
        zones: { zoneIds: [], municipalityCode },
        formFactor: v.formFactor ?? 'BICYCLE',
        vehicleTypeId: null,
        isReserved: v.reserved ?? false,
        isDisabled: v.disabled ?? false,
        lastReportedAt: null,
        park: { id: randomUUID(), startTime: now, lat: v.lat, lng: v.lng },
        nonOp: null,
        gone: null,
        held: null,
        stationId: null,
      })),
    );
  }

  /** Rented: gone from the feed. */
  async leave(ids: string[]): Promise<void> {
    const at = new Date();
    await this.commit((vehicles) =>
      ids.flatMap((id) => {
        const vehicle = vehicles.get(id);
        return vehicle
          ? [{ ...vehicle, gone: { at, reason: 'RENTAL' as const, rental: null } }]
          : [];
      }),
    );
  }
}

/** `count` vehicles on a small grid around `at` (within `spreadMeters`). */
export function cluster(
  prefix: string,
  count: number,
  at: { lat: number; lng: number },
  spreadMeters = 8,
  formFactor: FormFactor = 'BICYCLE',
): ParkedSpec[] {
  const side = Math.ceil(Math.sqrt(count));
  const step = side > 1 ? (2 * spreadMeters) / (side - 1) : 0;
  return Array.from({ length: count }, (_, i) => {
    const p = moved(
      at,
      -spreadMeters + Math.floor(i / side) * step,
      -spreadMeters + (i % side) * step,
    );
    return { id: `${prefix}-${i}`, ...p, formFactor };
  });
}

export interface HubSpec {
  name?: string;
  code?: string;
  at?: { lat: number; lng: number };
  radiusMeters?: number;
  bufferMeters?: number;
  capacity?: HubCapacity;
  combinedFormFactors?: FormFactor[] | null;
  control?: HubControl;
  effectiveFrom?: Date;
  retireAt?: Date | null;
  municipalityCode?: string;
}

/** A point hub written straight into the tables, as the createHub mutation would (no count). */
export async function insertHub(db: Db, spec: HubSpec = {}): Promise<string> {
  const id = randomUUID();
  const at = spec.at ?? DAM;
  const radiusMeters = spec.radiusMeters ?? 15;
  await createHubStore(db).insertHub({
    id,
    code: spec.code ?? `T-${id.slice(0, 8)}`,
    name: spec.name ?? `Hub ${id.slice(0, 8)}`,
    geometry: circlePolygon(at.lat, at.lng, radiusMeters),
    municipalityCode: spec.municipalityCode ?? 'GM0363',
    ownerOrganisationId: null,
    centerLat: at.lat,
    centerLng: at.lng,
    radiusMeters,
    bufferMeters: spec.bufferMeters ?? 0,
    capacity: spec.capacity ?? { COMBINED: 10 },
    combinedFormFactors: spec.combinedFormFactors ?? null,
    control: spec.control ?? 'AUTOMATIC',
    effectiveFrom: spec.effectiveFrom ?? new Date(Date.now() - 60_000),
    retireAt: spec.retireAt ?? null,
  });
  return id;
}

/** The events of a channel for some hubs, as they arrive. */
export interface EventLog {
  events: HubEvent[];
  /** Resolves once every event published before this call has arrived (Redis keeps order). */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

export async function listen(
  pubsub: PubSub,
  channel: string,
  hubIds: () => readonly string[],
): Promise<EventLog> {
  const events: HubEvent[] = [];
  const markers = new Set<string>();
  const unsubscribe = await pubsub.subscribe(channel, (payload) => {
    const marker = (payload as { marker?: unknown } | null)?.marker;
    if (typeof marker === 'string') {
      markers.add(marker);
      return;
    }
    const event = parseHubEvent(payload);
    if (event && hubIds().includes(event.hubId)) events.push(event);
  });
  return {
    events,
    async settle() {
      const marker = randomUUID();
      await pubsub.publish(channel, { marker });
      const deadline = Date.now() + 5000;
      while (!markers.has(marker)) {
        if (Date.now() > deadline) throw new Error(`no marker back on ${channel}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    stop: unsubscribe,
  };
}

/** One controller as the job runner runs it, with its own clock. */
export function controllerJob(
  db: Db,
  pubsub: PubSub,
  options: { now?: () => Date; reopenFreeRatio?: number } = {},
) {
  const job = createMicrohubsControllerJob({
    settings: { reopenFreeRatio: options.reopenFreeRatio ?? 0.05 },
    now: options.now,
    followImports: false,
  });
  const context: JobContext = {
    db,
    pubsub,
    logger: silentLogger,
    config: TEST_CONFIG,
    tickAt: undefined,
    payload: {},
  };
  return { tick: () => job.run(context) };
}
