import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { Knex } from 'knex';
import type { ScopeRule, ScopedDb } from '../../lib/auth/scopedDb';
import { type FormFactor, FORM_FACTORS } from '../../lib/domain/formFactors';
import {
  COMBINED,
  type HubHistoryRow,
  type HubRow,
  type HubStatusRow,
} from '../../lib/domain/hubs/model';
import { HUB_COLUMNS, STATUS_COLUMNS } from '../../lib/domain/hubs/store';
import { ZONE_SCOPE_RULE } from '../../lib/domain/zones';
import { geometryBbox, type AreaGeometry, type BBox } from '../../lib/geo/geometry';
import type { CursorValue } from '../../lib/pagination';
import { pageWithTotal } from '../../lib/sql/paging';

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
      return pageWithTotal<HubRow>(rows, filtered(query), limit);
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
      return pageWithTotal<HubHistoryRow>(rows, base(), limit);
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

    /** The municipalities whose bounding box meets this one, with their outlines. */
    async municipalitiesMeeting(
      bbox: readonly [number, number, number, number],
    ): Promise<{ code: string; geometry: AreaGeometry }[]> {
      const [minLng, minLat, maxLng, maxLat] = bbox;
      return scoped
        .from('zones', ZONE_SCOPE_RULE)
        .where('kind', 'MUNICIPALITY')
        .whereNull('retired_at')
        .andWhere('min_lng', '<=', maxLng)
        .andWhere('max_lng', '>=', minLng)
        .andWhere('min_lat', '<=', maxLat)
        .andWhere('max_lat', '>=', minLat)
        .orderBy('code')
        .select<{ code: string; geometry: AreaGeometry }[]>('code', 'geometry');
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
