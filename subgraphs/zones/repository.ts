import type { ScopedDb } from '../../lib/auth/scopedDb';
import { ZONE_SCOPE_RULE, type ZoneKind, type ZoneRow } from '../../lib/domain/zones';
import type { BBox } from '../../lib/geo/geometry';
import type { CursorValue } from '../../lib/pagination';
import { pageWithTotal } from '../../lib/sql/paging';

export interface ZoneQuery {
  kind?: ZoneKind | undefined;
  codes?: string[] | undefined;
  municipalityCodes?: string[] | undefined;
  nameContains?: string | undefined;
  bbox?: BBox | undefined;
  includeRetired?: boolean | undefined;
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
  'retired_at',
  'updated_at',
] as const;

/** Escapes LIKE wildcards so a user's `%` or `_` match literally. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Reads on behalf of a caller: every query starts from the scope-filtered `zones`. */
export function createZoneReader(scoped: ScopedDb) {
  const filtered = (query: ZoneQuery) => {
    const q = scoped.from('zones', ZONE_SCOPE_RULE);
    if (!query.includeRetired) q.whereNull('retired_at');
    if (query.kind) q.where('kind', query.kind);
    if (query.codes) q.whereIn('code', query.codes);
    if (query.municipalityCodes) q.whereIn('municipality_code', query.municipalityCodes);
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
      return pageWithTotal<ZoneRow>(rows, filtered(query), limit);
    },

    async byIds(ids: readonly string[]): Promise<ZoneRow[]> {
      return filtered({ includeRetired: true }).select<ZoneRow[]>(COLUMNS).whereIn('id', ids);
    },
  };
}

export type ZoneReader = ReturnType<typeof createZoneReader>;
