import { randomUUID } from 'node:crypto';
import { latLngToCell } from 'h3-js';
import { createMicrohubsControllerJob } from '../jobs/microhubs/microhubsController';
import type { JobContext } from '../jobs/types';
import type { Db } from '../lib/db';
import type { FormFactor } from '../lib/domain/formFactors';
import { parseHubEvent, type HubEvent } from '../lib/domain/hubs/events';
import type { HubCapacity, HubControl } from '../lib/domain/hubs/model';
import { circlePolygon } from '../lib/domain/hubs/shapes';
import { createHubStore } from '../lib/domain/hubs/store';
import { METERS_PER_DEGREE } from '../lib/geo/distance';
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

export interface ParkedSpec {
  id: string;
  lat: number;
  lng: number;
  formFactor?: FormFactor;
  reserved?: boolean;
  disabled?: boolean;
}

/**
 * An operator's feed whose current vehicles the test sets, written into `vehicle_state` as the
 * importer writes them: a parked vehicle is a row with `gone_at` null; one that drives off keeps
 * its row with `gone_at` set (the importer keeps it for its reappearance rule).
 */
export class Street {
  private feedId = '';

  constructor(
    private readonly db: Db,
    readonly operatorId = `op-${randomUUID().slice(0, 8)}`,
  ) {}

  async open(): Promise<this> {
    await this.db('operators').insert({ id: this.operatorId, name: this.operatorId });
    const [feed] = await this.db('feeds')
      .insert({
        operator_id: this.operatorId,
        url: `http://feeds.invalid/${this.operatorId}/free_bike_status.json`,
        type: 'GBFS_FREE_BIKE_STATUS',
        default_form_factor: 'BICYCLE',
        // vehicles_now shows the vehicles of active feeds only; no import job reads this one.
        active: true,
      })
      .returning<{ id: string }[]>('id');
    this.feedId = feed!.id;
    return this;
  }

  async park(vehicles: ParkedSpec[], municipalityCode = 'GM0363'): Promise<void> {
    if (vehicles.length === 0) return;
    const rows = vehicles.map((v) => ({
      feed_id: this.feedId,
      vehicle_id: v.id,
      operator_id: this.operatorId,
      lat: v.lat,
      lng: v.lng,
      h3_cell: latLngToCell(v.lat, v.lng, 8),
      zone_ids: [],
      municipality_code: municipalityCode,
      form_factor: v.formFactor ?? 'BICYCLE',
      is_reserved: v.reserved ?? false,
      is_disabled: v.disabled ?? false,
      park_event_id: randomUUID(),
      park_start: new Date(),
      park_lat: v.lat,
      park_lng: v.lng,
      gone_at: null,
      gone_reason: null,
    }));
    for (let i = 0; i < rows.length; i += 2000) {
      await this.db('vehicle_state')
        .insert(rows.slice(i, i + 2000))
        .onConflict(['feed_id', 'vehicle_id'])
        .merge();
    }
  }

  /** Rented: gone from the feed. */
  async leave(ids: string[]): Promise<void> {
    await this.db('vehicle_state')
      .where('feed_id', this.feedId)
      .whereIn('vehicle_id', ids)
      .update({ gone_at: new Date(), gone_reason: 'RENTAL', updated_at: new Date() });
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
