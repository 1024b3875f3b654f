import type { Ownership } from '../../lib/auth/scope';
import type { ScopeRule, ScopedDb } from '../../lib/auth/scopedDb';
import type { Db } from '../../lib/db';
import {
  geometryAreaKm2,
  geometryBbox,
  parseAreaGeometry,
  type AreaGeometry,
  type BBox,
} from '../../lib/geo/geometry';
import type { CursorValue } from '../../lib/pagination';

export const ZONE_KINDS = ['MUNICIPALITY', 'DISTRICT', 'NEIGHBOURHOOD', 'CUSTOM', 'HUB'] as const;
export type ZoneKind = (typeof ZONE_KINDS)[number];

export interface ZoneRow {
  id: string;
  code: string;
  name: string;
  kind: ZoneKind;
  geometry: AreaGeometry;
  min_lng: number | null;
  min_lat: number | null;
  max_lng: number | null;
  max_lat: number | null;
  area_km2: number | null;
  municipality_code: string | null;
  owner_organisation_id: string | null;
  updated_at: Date;
}

/** What the spatial index keeps of a zone: enough to test containment and visibility. */
export interface IndexedZone {
  id: string;
  kind: ZoneKind;
  geometry: AreaGeometry;
  municipality_code: string | null;
  owner_organisation_id: string | null;
  /** HUB zones: their hub's validity, which decides who sees them (see ZONE_SCOPE_RULE). */
  hub_effective_from: Date | null;
  hub_retire_at: Date | null;
}

/** A hub is public from its effective date until it retires (the microhubs' HUB_SCOPE_RULE). */
const HUB_IS_PUBLIC = `exists (select 1 from hubs where hubs.id = zones.id
  and hubs.effective_from <= now() and (hubs.retire_at is null or hubs.retire_at > now()))`;

/**
 * Municipal, district and neighbourhood geometry is public; a CUSTOM zone is seen by its owning
 * organisation and by whoever sees the data of the municipality it lies in; a HUB zone is seen
 * exactly when its hub is: by everyone while the hub is in effect, otherwise (not yet effective,
 * retired) by its municipality and the organisation that created it.
 */
export const ZONE_SCOPE_RULE: ScopeRule = {
  public: (q) => {
    q.whereNotIn('zones.kind', ['CUSTOM', 'HUB']).orWhere((hub) => {
      hub.where('zones.kind', 'HUB').whereRaw(HUB_IS_PUBLIC);
    });
  },
  municipalityColumn: 'zones.municipality_code',
  organisationColumn: 'zones.owner_organisation_id',
};

export function zoneOwnership(zone: IndexedZone, now = new Date()): Ownership {
  return {
    public: isPublicZone(zone, now),
    municipality: zone.municipality_code,
    organisation: zone.owner_organisation_id,
  };
}

function isPublicZone(zone: IndexedZone, now: Date): boolean {
  if (zone.kind === 'CUSTOM') return false;
  if (zone.kind !== 'HUB') return true;
  const effective = zone.hub_effective_from !== null && zone.hub_effective_from <= now;
  return effective && (zone.hub_retire_at === null || zone.hub_retire_at > now);
}

export interface ZoneQuery {
  kind?: ZoneKind | undefined;
  codes?: string[] | undefined;
  nameContains?: string | undefined;
  bbox?: BBox | undefined;
}

export interface ZoneInput {
  code: string;
  name: string;
  kind: ZoneKind;
  geometry: AreaGeometry;
}

const COLUMNS = [
  'id',
  'code',
  'name',
  'kind',
  'geometry',
  'min_lng',
  'min_lat',
  'max_lng',
  'max_lat',
  'area_km2',
  'municipality_code',
  'owner_organisation_id',
  'updated_at',
] as const;

/** Escapes LIKE wildcards so a user's `%` or `_` match literally. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function derived(geometry: AreaGeometry) {
  const [minLng, minLat, maxLng, maxLat] = geometryBbox(geometry);
  return {
    min_lng: minLng,
    min_lat: minLat,
    max_lng: maxLng,
    max_lat: maxLat,
    area_km2: geometryAreaKm2(geometry),
  };
}

/** Reads on behalf of a caller: every query starts from the scope-filtered `zones`. */
export function createZoneReader(scoped: ScopedDb) {
  const filtered = (query: ZoneQuery) => {
    const q = scoped.from('zones', ZONE_SCOPE_RULE);
    if (query.kind) q.where('kind', query.kind);
    if (query.codes) q.whereIn('code', query.codes);
    if (query.nameContains)
      q.whereRaw(`name ilike ? escape '\\'`, [likePattern(query.nameContains)]);
    if (query.bbox) {
      const [minLng, minLat, maxLng, maxLat] = query.bbox;
      q.where('max_lng', '>=', minLng)
        .andWhere('min_lng', '<=', maxLng)
        .andWhere('max_lat', '>=', minLat)
        .andWhere('min_lat', '<=', maxLat);
    }
    return q;
  };

  return {
    /** One page ordered by (name, id), after the keyset `after`; fetches `limit` rows. */
    async page(query: ZoneQuery, limit: number, after: CursorValue[] | undefined) {
      const rows = filtered(query)
        .select<ZoneRow[]>(COLUMNS)
        .orderBy([{ column: 'name' }, { column: 'id' }]);
      if (after) rows.whereRaw('(name, id) > (?, ?)', after);
      const [page, [count]] = await Promise.all([
        rows.limit(limit),
        filtered(query).count<{ count: string }[]>({ count: '*' }),
      ]);
      return { rows: page, totalCount: Number(count?.count ?? 0) };
    },

    async byIds(ids: readonly string[]): Promise<ZoneRow[]> {
      return filtered({}).select<ZoneRow[]>(COLUMNS).whereIn('id', ids);
    },
  };
}

export type ZoneReader = ReturnType<typeof createZoneReader>;

/** The process's own access to zones: the spatial index, the seed and the geometry job. */
export function createZoneRepository(db: Db) {
  return {
    async forIndex(): Promise<IndexedZone[]> {
      return db('zones')
        .leftJoin('hubs', 'hubs.id', 'zones.id')
        .select(
          'zones.id',
          'zones.kind',
          'zones.geometry',
          'zones.municipality_code',
          'zones.owner_organisation_id',
          'hubs.effective_from as hub_effective_from',
          'hubs.retire_at as hub_retire_at',
        );
    },

    /**
     * Changes whenever a zone is added, removed or edited, or a hub's dates change: the spatial
     * index's staleness check.
     */
    async version(): Promise<string> {
      const row = (await db('zones')
        .select(
          db.raw('count(*)::text as count'),
          db.raw('max(updated_at)::text as latest'),
          db.raw('(select max(updated_at)::text from hubs) as hubs'),
        )
        .first()) as { count: string; latest: string | null; hubs: string | null };
      return `${row.count}@${row.latest ?? ''}@${row.hubs ?? ''}`;
    },

    /** Inserts or updates zones by (kind, code); derived columns are computed here. */
    async upsert(zones: ZoneInput[]): Promise<{ inserted: number; updated: number }> {
      if (zones.length === 0) return { inserted: 0, updated: 0 };
      const rows = zones.map((z) => ({
        code: z.code,
        name: z.name,
        kind: z.kind,
        municipality_code: z.kind === 'MUNICIPALITY' ? z.code : null,
        geometry: JSON.stringify(z.geometry),
        ...derived(z.geometry),
        derived_at: db.fn.now(),
      }));
      // Only touch rows whose content differs, so re-seeding leaves updated_at (and the index) alone.
      const result = await db.raw<{ rows: { inserted: boolean }[] }>(
        `? on conflict (kind, code) do update set
            name = excluded.name, geometry = excluded.geometry,
            min_lng = excluded.min_lng, min_lat = excluded.min_lat,
            max_lng = excluded.max_lng, max_lat = excluded.max_lat,
            area_km2 = excluded.area_km2, derived_at = excluded.derived_at, updated_at = now()
          where zones.name is distinct from excluded.name
             or zones.geometry is distinct from excluded.geometry
          returning (xmax = 0) as inserted`,
        [db('zones').insert(rows)],
      );
      const inserted = result.rows.filter((r) => r.inserted).length;
      return { inserted, updated: result.rows.length - inserted };
    },

    /**
     * Recomputes bbox and area for zones whose geometry changed since they were last derived.
     * Returns how many rows it updated; rerunning right away updates none.
     */
    async refreshDerived(batchSize = 500): Promise<number> {
      let total = 0;
      for (;;) {
        // updated_at goes through as text: a JS Date would drop its microseconds.
        const stale = await db('zones')
          .select<{ id: string; geometry: unknown; version: string }[]>(
            'id',
            'geometry',
            db.raw('updated_at::text as version'),
          )
          .whereNull('derived_at')
          .orWhereRaw('derived_at < updated_at')
          .limit(batchSize);
        if (stale.length === 0) return total;
        await db.transaction(async (trx) => {
          for (const zone of stale) {
            const geometry = parseAreaGeometry(zone.geometry, `zones[${zone.id}].geometry`);
            // Deriving is not an edit: updated_at stays. The guard lets a concurrent edit win.
            await trx('zones')
              .where({ id: zone.id })
              .andWhereRaw('updated_at = ?::timestamptz', [zone.version])
              .update({ ...derived(geometry), derived_at: trx.ref('updated_at') });
          }
        });
        total += stale.length;
      }
    },
  };
}

export type ZoneRepository = ReturnType<typeof createZoneRepository>;
