import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { Knex } from 'knex';
import type { ScopeRule, ScopedDb } from '../../lib/auth/scopedDb';
import {
  geometryAreaKm2,
  geometryBbox,
  type AreaGeometry,
  type BBox,
} from '../../lib/geo/geometry';
import type { CursorValue } from '../../lib/pagination';
import { ZONE_SCOPE_RULE } from '../zones/repository';
import type { ParkedVehicle } from './counting';
import {
  COMBINED,
  FORM_FACTORS,
  type CountedHub,
  type FormFactor,
  type HubCapacity,
  type HubControl,
  type HubHistoryRow,
  type HubRow,
  type HubStatusReason,
  type HubStatusRow,
  type StatusKey,
} from './model';

/** Knex itself or a transaction: the store's queries run in either. */
type Executor = Knex | Knex.Transaction;

/**
 * Who sees a hub: everyone once it is effective and until it retires (its status is what operators
 * must obey, published as open data); before and after that, whoever sees its municipality's data
 * and the organisation that created it.
 */
export const HUB_SCOPE_RULE: ScopeRule = {
  public: (q) => {
    q.whereRaw('hubs.effective_from <= now()').andWhere((r) => {
      r.whereNull('hubs.retire_at').orWhereRaw('hubs.retire_at > now()');
    });
  },
  municipalityColumn: 'hubs.municipality_code',
  organisationColumn: 'hubs.owner_organisation_id',
};

const HUB_COLUMNS = [
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

const STATUS_COLUMNS = [
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

const KEY_ORDER: Record<string, number> = Object.fromEntries(
  [COMBINED, ...FORM_FACTORS].map((key, i) => [key, i]),
);

/** Status rows of a hub in a stable order: COMBINED, then form factors as listed. */
export function byStatusKey(a: { form_factor: string }, b: { form_factor: string }): number {
  return (KEY_ORDER[a.form_factor] ?? 99) - (KEY_ORDER[b.form_factor] ?? 99);
}

export type HubOpenState = 'OPEN' | 'CLOSED' | 'PARTLY_OPEN';

export interface HubQuery {
  ids?: string[] | undefined;
  municipalityCodes?: string[] | undefined;
  formFactor?: FormFactor | undefined;
  /** With a form factor: the status of that form factor; else the hub's overall state. */
  state?: HubOpenState | undefined;
  includeRetired?: boolean | undefined;
}

function notRetired(q: Knex.QueryBuilder): void {
  q.where((r) => {
    r.whereNull('hubs.retire_at').orWhereRaw('hubs.retire_at > now()');
  });
}

function statusExists(open: boolean, formFactor: FormFactor | undefined) {
  return (sub: Knex.QueryBuilder): void => {
    sub.select(1).from('hub_status as s').whereRaw('s.hub_id = hubs.id').andWhere('s.open', open);
    if (formFactor) sub.whereIn('s.form_factor', [formFactor, COMBINED]);
  };
}

/** Reads on behalf of a caller: every query starts from the scope-filtered `hubs`. */
export function createHubReader(scoped: ScopedDb) {
  const filtered = (query: HubQuery): Knex.QueryBuilder => {
    const q = scoped.from('hubs', HUB_SCOPE_RULE).join('zones', 'zones.id', 'hubs.id');
    if (query.ids) q.whereIn('hubs.id', query.ids);
    if (query.municipalityCodes) q.whereIn('hubs.municipality_code', query.municipalityCodes);
    if (!query.includeRetired) notRetired(q);
    const formFactor = query.formFactor;
    if (formFactor) {
      q.where((r) => {
        r.whereRaw('jsonb_exists(hubs.capacity, ?)', [formFactor]).orWhere((c) => {
          c.whereRaw('jsonb_exists(hubs.capacity, ?)', [COMBINED]).andWhere((f) => {
            f.whereNull('hubs.combined_form_factors').orWhereRaw(
              '? = any(hubs.combined_form_factors)',
              [formFactor],
            );
          });
        });
      });
    }
    switch (query.state) {
      case undefined:
        break;
      case 'OPEN':
        q.whereExists(statusExists(true, formFactor));
        if (!formFactor) q.whereNotExists(statusExists(false, undefined));
        break;
      case 'CLOSED':
        q.whereExists(statusExists(false, formFactor));
        if (!formFactor) q.whereNotExists(statusExists(true, undefined));
        break;
      case 'PARTLY_OPEN':
        q.whereExists(statusExists(true, undefined)).whereExists(statusExists(false, undefined));
        break;
    }
    return q;
  };

  return {
    /** One page ordered by (name, id) after the keyset `after`; fetches `limit` rows. */
    async page(query: HubQuery, limit: number, after: CursorValue[] | undefined) {
      const rows = filtered(query)
        .select<HubRow[]>(HUB_COLUMNS)
        .orderBy([{ column: 'zones.name' }, { column: 'hubs.id' }]);
      if (after) rows.whereRaw('(zones.name, hubs.id) > (?, ?::uuid)', after);
      const [page, [count]] = await Promise.all([
        rows.limit(limit),
        filtered(query).count<{ count: string }[]>({ count: '*' }),
      ]);
      return { rows: page, totalCount: Number(count?.count ?? 0) };
    },

    /** Retired hubs included: an entity reference must still resolve. */
    async byIds(ids: readonly string[]): Promise<HubRow[]> {
      return filtered({ ids: [...ids], includeRetired: true }).select<HubRow[]>(HUB_COLUMNS);
    },

    async statusesByHubIds(ids: readonly string[]): Promise<HubStatusRow[]> {
      const rows = await scoped
        .from('hubs', HUB_SCOPE_RULE)
        .join('hub_status as s', 's.hub_id', 'hubs.id')
        .whereIn('hubs.id', [...ids])
        .select<HubStatusRow[]>(STATUS_COLUMNS);
      return rows.sort(byStatusKey);
    },

    /** A hub's status changes, newest first, after the keyset `after` ([at ISO, id]). */
    async history(
      hubId: string,
      limit: number,
      after: CursorValue[] | undefined,
      since: Date | undefined,
    ) {
      const base = () => {
        const q = scoped
          .from('hubs', HUB_SCOPE_RULE)
          .join('hub_status_history as h', 'h.hub_id', 'hubs.id')
          .where('hubs.id', hubId);
        if (since) q.where('h.at', '>=', since);
        return q;
      };
      const rows = base()
        .select<HubHistoryRow[]>(
          'h.id',
          'h.hub_id',
          'h.form_factor',
          'h.open',
          'h.reason',
          'h.vehicles',
          'h.capacity',
          'h.places_available',
          'h.at',
        )
        .orderBy([
          { column: 'h.at', order: 'desc' },
          { column: 'h.id', order: 'desc' },
        ]);
      if (after) rows.whereRaw('(h.at, h.id) < (?::timestamptz, ?::bigint)', after);
      const [page, [count]] = await Promise.all([
        rows.limit(limit),
        base().count<{ count: string }[]>({ count: '*' }),
      ]);
      return { rows: page, totalCount: Number(count?.count ?? 0) };
    },

    /** The hubs of one municipality the caller sees (not retired), ordered by name. */
    async inMunicipality(code: string): Promise<HubRow[]> {
      return filtered({ municipalityCodes: [code] })
        .select<HubRow[]>(HUB_COLUMNS)
        .orderBy([{ column: 'zones.name' }, { column: 'hubs.id' }]);
    },

    /** The zone ids of these municipalities, by code. */
    async municipalityZoneIds(codes: readonly string[]): Promise<Map<string, string>> {
      const rows = await scoped
        .from('zones', ZONE_SCOPE_RULE)
        .where('kind', 'MUNICIPALITY')
        .whereIn('code', [...codes])
        .select<{ id: string; code: string }[]>('id', 'code');
      return new Map(rows.map((row) => [row.code, row.id]));
    },

    async municipalityExists(code: string): Promise<boolean> {
      const row: unknown = await scoped
        .from('zones', ZONE_SCOPE_RULE)
        .where({ kind: 'MUNICIPALITY', code })
        .first('id');
      return row !== undefined;
    },

    /** The code of the municipality containing the point, if any. */
    async municipalityAt(lat: number, lng: number): Promise<string | null> {
      const candidates = await scoped
        .from('zones', ZONE_SCOPE_RULE)
        .where('kind', 'MUNICIPALITY')
        .andWhere('min_lng', '<=', lng)
        .andWhere('max_lng', '>=', lng)
        .andWhere('min_lat', '<=', lat)
        .andWhere('max_lat', '>=', lat)
        .select<{ code: string; geometry: AreaGeometry }[]>('code', 'geometry');
      const found = candidates.find((zone) => booleanPointInPolygon([lng, lat], zone.geometry));
      return found?.code ?? null;
    },

    /**
     * The hubs (not retired) in each zone: a HUB zone holds its own hub, a municipality the hubs
     * of its municipality, any other zone the hubs whose centre lies inside it.
     */
    async hubsInZones(zoneIds: readonly string[]): Promise<Map<string, HubRow[]>> {
      const zones = await scoped
        .from('zones', ZONE_SCOPE_RULE)
        .whereIn('id', [...zoneIds])
        .select<ZoneForHubs[]>(
          'id',
          'kind',
          'code',
          'geometry',
          'min_lng',
          'min_lat',
          'max_lng',
          'max_lat',
        );
      const result = new Map<string, HubRow[]>(zoneIds.map((id) => [id, []]));
      if (zones.length === 0) return result;
      const areas = zones.filter((z) => z.kind !== 'HUB' && z.kind !== 'MUNICIPALITY');
      const hubs = await filtered({})
        .where((any) => {
          const hubIds = zones.filter((z) => z.kind === 'HUB').map((z) => z.id);
          const codes = zones.filter((z) => z.kind === 'MUNICIPALITY').map((z) => z.code);
          any.whereRaw('false');
          if (hubIds.length > 0) any.orWhereIn('hubs.id', hubIds);
          if (codes.length > 0) any.orWhereIn('hubs.municipality_code', codes);
          for (const zone of areas) {
            const [minLng, minLat, maxLng, maxLat] = zoneBbox(zone);
            any.orWhere((box) => {
              box
                .whereBetween('hubs.center_lng', [minLng, maxLng])
                .andWhereBetween('hubs.center_lat', [minLat, maxLat]);
            });
          }
        })
        .select<HubRow[]>(HUB_COLUMNS)
        .orderBy([{ column: 'zones.name' }, { column: 'hubs.id' }]);
      for (const zone of zones) {
        const inside = hubs.filter((hub) => {
          if (zone.kind === 'HUB') return hub.id === zone.id;
          if (zone.kind === 'MUNICIPALITY') return hub.municipality_code === zone.code;
          return booleanPointInPolygon([hub.center_lng, hub.center_lat], zone.geometry);
        });
        result.set(zone.id, inside);
      }
      return result;
    },
  };
}

export type HubReader = ReturnType<typeof createHubReader>;

interface ZoneForHubs {
  id: string;
  kind: string;
  code: string;
  geometry: AreaGeometry;
  min_lng: number | null;
  min_lat: number | null;
  max_lng: number | null;
  max_lat: number | null;
}

function zoneBbox(zone: ZoneForHubs): BBox {
  if (
    zone.min_lng !== null &&
    zone.min_lat !== null &&
    zone.max_lng !== null &&
    zone.max_lat !== null
  ) {
    return [zone.min_lng, zone.min_lat, zone.max_lng, zone.max_lat];
  }
  return geometryBbox(zone.geometry);
}

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

function derivedColumns(geometry: AreaGeometry) {
  const [minLng, minLat, maxLng, maxLat] = geometryBbox(geometry);
  return {
    min_lng: minLng,
    min_lat: minLat,
    max_lng: maxLng,
    max_lat: maxLat,
    area_km2: geometryAreaKm2(geometry),
  };
}

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

/**
 * The process's own access to hubs: the controller's counting and the mutations' writes, after
 * the resolver has checked the caller's privileges. Every status write is a compare-and-set.
 */
export function createHubStore(db: Executor) {
  const hubs = () => db('hubs').join('zones', 'zones.id', 'hubs.id').select<HubRow[]>(HUB_COLUMNS);

  return {
    /**
     * Hubs to count at `at` (not retired), and retired ones that still have a status to end.
     * Point hubs come without their (generated) geometry: counting uses the exact circle.
     */
    async forTick(at: Date): Promise<CountedHub[]> {
      return db('hubs')
        .join('zones', 'zones.id', 'hubs.id')
        .select<CountedHub[]>(
          ...TICK_COLUMNS,
          db.raw('case when hubs.radius_meters is null then zones.geometry end as geometry'),
        )
        .whereNull('hubs.retire_at')
        .orWhere('hubs.retire_at', '>', at)
        .orWhereExists((sub) => {
          sub.select(1).from('hub_status as s').whereRaw('s.hub_id = hubs.id');
        });
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
        .select<ParkedVehicle[]>(
          'lat',
          'lng',
          db.raw(
            `coalesce((array_position(?::text[], form_factor) - 1) * 2
               + (not (is_reserved or is_disabled))::int, -1) as code`,
            [[...FORM_FACTORS]],
          ),
        )
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

    /** The controller's last count, for the feeds' `last_updated`. */
    async recordTick(report: {
      at: Date;
      hubs: number;
      vehicles: number;
      durationMs: number;
    }): Promise<void> {
      await db('hub_controller_state')
        .where({ id: true })
        .update({
          last_tick_at: db.raw('greatest(last_tick_at, ?::timestamptz)', [report.at]),
          hubs: report.hubs,
          vehicles: report.vehicles,
          duration_ms: report.durationMs,
        });
    },

    async lastTickAt(): Promise<Date | null> {
      const row = await db('hub_controller_state')
        .where({ id: true })
        .first<{ last_tick_at: Date | null } | undefined>('last_tick_at');
      return row?.last_tick_at ?? null;
    },

    /**
     * Called by every jobs process that hears an import tick end: exactly one of them claims that
     * import and makes the controller's schedule due now, so the new positions are counted at once
     * rather than at the next 30-second slot. Returns whether this call claimed it.
     */
    async triggerAfterImport(importAt: Date, task: string): Promise<boolean> {
      const result = await db.raw<{ rows: { claimed: boolean }[] }>(
        `with claim as (
           update hub_controller_state set last_import_at = ?
            where id and (last_import_at is null or last_import_at < ?)
           returning true as claimed
         ), due as (
           update job_schedules set next_run_at = now()
            where task = ? and enabled and next_run_at > now() and exists (select 1 from claim)
           returning 1
         )
         select exists (select 1 from claim) as claimed, (select count(*) from due) as due`,
        [importAt, importAt, task],
      );
      return result.rows[0]?.claimed ?? false;
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
        ...derivedColumns(hub.geometry),
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
        Object.assign(zone, derivedColumns(patch.geometry), {
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
