import type { Knex } from 'knex';
import type { AreaGeometry, BBox } from '../../geo/geometry';
import { FORM_FACTORS, type FormFactor } from '../formFactors';
import { zoneDerivedColumns } from '../zoneStore';
import type { ParkedVehicle } from './counting';
import type {
  CountedHub,
  HubCapacity,
  HubControl,
  HubHistoryRow,
  HubRow,
  HubStatusReason,
  HubStatusRow,
  StatusKey,
} from './model';

/** Knex itself or a transaction: the store's queries run in either. */
type Executor = Knex | Knex.Transaction;

export const HUB_COLUMNS = [
  'hubs.id',
  'zones.code',
  'zones.name',
  'zones.geometry',
  'hubs.municipality_code',
  'hubs.owner_organisation_id',
  'hubs.center_lat',
  'hubs.center_lng',
  'hubs.radius_meters',
  'hubs.buffer_meters',
  'hubs.capacity',
  'hubs.combined_form_factors',
  'hubs.control',
  'hubs.effective_from',
  'hubs.retire_at',
  'hubs.revision',
  'hubs.created_at',
  'hubs.updated_at',
] as const;

/** What the controller reads of every hub each tick. */
const TICK_COLUMNS = [
  'hubs.id',
  'hubs.municipality_code',
  'hubs.owner_organisation_id',
  'hubs.center_lat',
  'hubs.center_lng',
  'hubs.radius_meters',
  'hubs.buffer_meters',
  'hubs.capacity',
  'hubs.combined_form_factors',
  'hubs.control',
  'hubs.effective_from',
  'hubs.retire_at',
  'hubs.revision',
] as const;

export const STATUS_COLUMNS = [
  's.hub_id',
  's.form_factor',
  's.vehicles',
  's.vehicles_available',
  's.capacity',
  's.places_available',
  's.open',
  's.reason',
  's.since',
  's.updated_at',
  's.breakdown',
  's.version',
] as const;

/** A new hub: its zone and its `hubs` row. */
export interface NewHub {
  id: string;
  code: string;
  name: string;
  geometry: AreaGeometry;
  municipalityCode: string;
  ownerOrganisationId: string | null;
  centerLat: number;
  centerLng: number;
  radiusMeters: number | null;
  bufferMeters: number;
  capacity: HubCapacity;
  combinedFormFactors: FormFactor[] | null;
  control: HubControl;
  effectiveFrom: Date;
  retireAt: Date | null;
}

/** What an edit may change (undefined: unchanged). */
export type HubPatch = Partial<Omit<NewHub, 'id' | 'ownerOrganisationId'>>;

/** A planned write of one status row (see controller.ts). */
export interface StatusWrite {
  hub_id: string;
  form_factor: StatusKey;
  /** The hub revision the figures were computed for: the write is skipped if it changed since. */
  revision: string;
  vehicles: number;
  vehicles_available: number;
  capacity: number;
  places_available: number;
  open: boolean;
  reason: HubStatusReason;
  since: string;
  updated_at: string;
  breakdown: HubStatusRow['breakdown'];
}

export interface StatusUpdate extends StatusWrite {
  prev_version: string;
  /** `open` changes with this write. */
  flipped: boolean;
}

export interface StatusDelete {
  hub_id: string;
  form_factor: StatusKey;
  prev_version: string;
  reason: Extract<HubStatusReason, 'RETIRED' | 'REMOVED'>;
}

const WRITE_RECORD = `hub_id uuid, form_factor text, revision bigint, vehicles integer,
  vehicles_available integer, capacity integer, places_available integer, open boolean,
  reason text, since timestamptz, updated_at timestamptz, breakdown jsonb`;

const RETURNED_STATUS = `s.hub_id, s.form_factor, s.vehicles, s.vehicles_available, s.capacity,
  s.places_available, s.open, s.reason, s.since, s.updated_at, s.breakdown, s.version`;

/** A `vehicles_now` row's counting code (counting.ts `vehicleCode`), computed in SQL. */
export function vehicleCodeColumn(db: Executor, alias = ''): Knex.Raw {
  const column = (name: string) => (alias ? `${alias}.${name}` : name);
  return db.raw(
    `coalesce((array_position(?::text[], ${column('form_factor')}) - 1) * 2
       + (not (${column('is_reserved')} or ${column('is_disabled')}))::int, -1) as code`,
    [[...FORM_FACTORS]],
  );
}

/**
 * The process's own (unscoped) access to the hub tables, for their two writers: the controller's
 * counting (jobs/microhubs) and the hub admin mutations (subgraphs/microhubs, after the resolver
 * has checked the caller's privileges). Every status write is a compare-and-set.
 */
export function createHubStore(db: Executor) {
  const hubs = () => db('hubs').join('zones', 'zones.id', 'hubs.id').select<HubRow[]>(HUB_COLUMNS);

  return {
    /**
     * The hubs to count at `at` (not retired), and retired ones that still have a status to end:
     * each one's id and revision (which any edit bumps).
     */
    async forTickRevisions(at: Date): Promise<{ id: string; revision: string }[]> {
      return db('hubs')
        .select<{ id: string; revision: string }[]>('id', 'revision')
        .whereNull('retire_at')
        .orWhere('retire_at', '>', at)
        .orWhereExists((sub) => {
          sub.select(1).from('hub_status as s').whereRaw('s.hub_id = hubs.id');
        });
    },

    /**
     * Hubs as the controller counts them. Point hubs come without their (generated) geometry:
     * counting uses the exact circle.
     */
    async forTick(ids: readonly string[]): Promise<CountedHub[]> {
      if (ids.length === 0) return [];
      return db('hubs')
        .join('zones', 'zones.id', 'hubs.id')
        .select<CountedHub[]>(
          ...TICK_COLUMNS,
          db.raw('case when hubs.radius_meters is null then zones.geometry end as geometry'),
        )
        .whereRaw('hubs.id = any(?::uuid[])', [[...ids]]);
    },

    async byIds(ids: readonly string[]): Promise<HubRow[]> {
      return hubs().whereIn('hubs.id', [...ids]);
    },

    /** Hubs (not retired at `at`) whose area lies within the box (WGS84 bbox). */
    async near(box: BBox, at: Date): Promise<HubRow[]> {
      const [minLng, minLat, maxLng, maxLat] = box;
      return hubs()
        .where('zones.max_lng', '>=', minLng)
        .andWhere('zones.min_lng', '<=', maxLng)
        .andWhere('zones.max_lat', '>=', minLat)
        .andWhere('zones.min_lat', '<=', maxLat)
        .andWhere((r) => {
          r.whereNull('hubs.retire_at').orWhere('hubs.retire_at', '>', at);
        });
    },

    /** Current statuses: all, or those of some hubs. */
    async statuses(hubIds?: readonly string[]): Promise<HubStatusRow[]> {
      const q = db('hub_status as s').select<HubStatusRow[]>(STATUS_COLUMNS);
      if (hubIds) q.whereIn('s.hub_id', [...hubIds]);
      return q;
    },

    /** Parked vehicles (the importer's current positions), within a box if given. */
    async parkedVehicles(box?: BBox): Promise<ParkedVehicle[]> {
      const q = db('vehicles_now')
        .select<ParkedVehicle[]>('lat', 'lng', vehicleCodeColumn(db))
        // Rows as arrays: [lat, lng, code].
        .options({ rowMode: 'array' });
      if (box) {
        const [minLng, minLat, maxLng, maxLat] = box;
        q.whereBetween('lat', [minLat, maxLat]).andWhereBetween('lng', [minLng, maxLng]);
      }
      return q;
    },

    /** Inserts new statuses unless a row exists already (another writer was first). */
    async insertStatuses(rows: StatusWrite[]): Promise<HubStatusRow[]> {
      if (rows.length === 0) return [];
      const result = await db.raw<{ rows: HubStatusRow[] }>(
        `insert into hub_status as s (hub_id, form_factor, vehicles, vehicles_available, capacity,
                places_available, open, reason, since, updated_at, breakdown)
         select x.hub_id, x.form_factor, x.vehicles, x.vehicles_available, x.capacity,
                x.places_available, x.open, x.reason, x.since, x.updated_at, x.breakdown
           from jsonb_to_recordset(?::jsonb) as x(${WRITE_RECORD})
          where exists (select 1 from hubs h where h.id = x.hub_id and h.revision = x.revision)
         on conflict (hub_id, form_factor) do nothing
         returning ${RETURNED_STATUS}`,
        [JSON.stringify(rows)],
      );
      return result.rows;
    },

    /** Updates statuses still at their previous version; returns the rows that changed. */
    async updateStatuses(rows: StatusUpdate[]): Promise<(HubStatusRow & { flipped: boolean })[]> {
      if (rows.length === 0) return [];
      const result = await db.raw<{ rows: (HubStatusRow & { flipped: boolean })[] }>(
        `update hub_status s
            set vehicles = x.vehicles, vehicles_available = x.vehicles_available,
                capacity = x.capacity, places_available = x.places_available, open = x.open,
                reason = x.reason, since = x.since, updated_at = x.updated_at,
                breakdown = x.breakdown, version = s.version + 1
           from jsonb_to_recordset(?::jsonb) as x(${WRITE_RECORD}, prev_version bigint,
                flipped boolean)
          where s.hub_id = x.hub_id and s.form_factor = x.form_factor
            and s.version = x.prev_version
            and exists (select 1 from hubs h where h.id = x.hub_id and h.revision = x.revision)
         returning ${RETURNED_STATUS}, x.flipped`,
        [JSON.stringify(rows)],
      );
      return result.rows;
    },

    /** Deletes statuses still at their previous version; returns what was deleted. */
    async deleteStatuses(
      rows: StatusDelete[],
    ): Promise<(HubStatusRow & { end_reason: StatusDelete['reason'] })[]> {
      if (rows.length === 0) return [];
      const result = await db.raw<{
        rows: (HubStatusRow & { end_reason: StatusDelete['reason'] })[];
      }>(
        `delete from hub_status s
          using jsonb_to_recordset(?::jsonb) as x(hub_id uuid, form_factor text,
                prev_version bigint, reason text)
          where s.hub_id = x.hub_id and s.form_factor = x.form_factor
            and s.version = x.prev_version
         returning ${RETURNED_STATUS}, x.reason as end_reason`,
        [JSON.stringify(rows)],
      );
      return result.rows;
    },

    async insertHistory(rows: Omit<HubHistoryRow, 'id'>[]): Promise<void> {
      for (let i = 0; i < rows.length; i += 1000) {
        await db('hub_status_history').insert(rows.slice(i, i + 1000));
      }
    },

    async lastTickAt(): Promise<Date | null> {
      const row = await db('hub_controller_state')
        .where({ id: true })
        .first<{ last_tick_at: Date | null } | undefined>('last_tick_at');
      return row?.last_tick_at ?? null;
    },

    async insertHub(hub: NewHub): Promise<void> {
      await db('zones').insert({
        id: hub.id,
        code: hub.code,
        name: hub.name,
        kind: 'HUB',
        geometry: JSON.stringify(hub.geometry),
        municipality_code: hub.municipalityCode,
        owner_organisation_id: hub.ownerOrganisationId,
        ...zoneDerivedColumns(hub.geometry),
        derived_at: db.fn.now(),
      });
      await db('hubs').insert({
        id: hub.id,
        municipality_code: hub.municipalityCode,
        owner_organisation_id: hub.ownerOrganisationId,
        center_lat: hub.centerLat,
        center_lng: hub.centerLng,
        radius_meters: hub.radiusMeters,
        buffer_meters: hub.bufferMeters,
        capacity: JSON.stringify(hub.capacity),
        combined_form_factors: hub.combinedFormFactors,
        control: hub.control,
        effective_from: hub.effectiveFrom,
        retire_at: hub.retireAt,
      });
    },

    /** Locks the hub's row until the transaction ends: edits of one hub happen one at a time. */
    async lock(id: string): Promise<boolean> {
      const row: unknown = await db('hubs').where({ id }).forUpdate().first('id');
      return row !== undefined;
    },

    /** Applies an edit and bumps the hub's revision. */
    async updateHub(id: string, patch: HubPatch): Promise<void> {
      const zone: Record<string, unknown> = {};
      if (patch.code !== undefined) zone.code = patch.code;
      if (patch.name !== undefined) zone.name = patch.name;
      if (patch.municipalityCode !== undefined) zone.municipality_code = patch.municipalityCode;
      if (patch.geometry !== undefined) {
        Object.assign(zone, zoneDerivedColumns(patch.geometry), {
          geometry: JSON.stringify(patch.geometry),
          derived_at: db.fn.now(),
        });
      }
      if (Object.keys(zone).length > 0) {
        await db('zones')
          .where({ id })
          .update({ ...zone, updated_at: db.fn.now() });
      }
      const hub: Record<string, unknown> = {};
      if (patch.municipalityCode !== undefined) hub.municipality_code = patch.municipalityCode;
      if (patch.centerLat !== undefined) hub.center_lat = patch.centerLat;
      if (patch.centerLng !== undefined) hub.center_lng = patch.centerLng;
      if (patch.radiusMeters !== undefined) hub.radius_meters = patch.radiusMeters;
      if (patch.bufferMeters !== undefined) hub.buffer_meters = patch.bufferMeters;
      if (patch.capacity !== undefined) hub.capacity = JSON.stringify(patch.capacity);
      if (patch.combinedFormFactors !== undefined) {
        hub.combined_form_factors = patch.combinedFormFactors;
      }
      if (patch.control !== undefined) hub.control = patch.control;
      if (patch.effectiveFrom !== undefined) hub.effective_from = patch.effectiveFrom;
      if (patch.retireAt !== undefined) hub.retire_at = patch.retireAt;
      await db('hubs')
        .where({ id })
        .update({ ...hub, revision: db.raw('revision + 1'), updated_at: db.fn.now() });
    },
  };
}

export type HubStore = ReturnType<typeof createHubStore>;
