import type { Db } from '../db';
import {
  geometryAreaKm2,
  geometryBbox,
  parseAreaGeometry,
  type AreaGeometry,
} from '../geo/geometry';
import type { IndexedZone, ZoneInput } from './zones';

/** The columns of `zones` computed from its geometry: bounding box and area. */
export function zoneDerivedColumns(geometry: AreaGeometry) {
  const [minLng, minLat, maxLng, maxLat] = geometryBbox(geometry);
  return {
    min_lng: minLng,
    min_lat: minLat,
    max_lng: maxLng,
    max_lat: maxLat,
    area_km2: geometryAreaKm2(geometry),
  };
}

/**
 * The process's own (unscoped) access to zones: the spatial indexes (zones subgraph, importer),
 * the seed and the geometry job. Callers' reads go through the zones subgraph's scoped reader.
 */
export function createZoneStore(db: Db) {
  return {
    /** Retired zones keep their history but take no new events: they are not indexed. */
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
        )
        .whereNull('zones.retired_at');
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
        ...zoneDerivedColumns(z.geometry),
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
              .update({ ...zoneDerivedColumns(geometry), derived_at: trx.ref('updated_at') });
          }
        });
        total += stale.length;
      }
    },
  };
}

export type ZoneStore = ReturnType<typeof createZoneStore>;
