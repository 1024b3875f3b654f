import type { Ownership } from '../auth/scope';
import type { ScopeRule } from '../auth/scopedDb';
import type { AreaGeometry } from '../geo/geometry';

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
  retired_at: Date | null;
  updated_at: Date;
}

/** What the spatial index keeps of a zone: enough to test containment and visibility. */
export interface IndexedZone {
  id: string;
  kind: ZoneKind;
  geometry: AreaGeometry;
  municipality_code: string | null;
  owner_organisation_id: string | null;
}

/**
 * Municipal, district and neighbourhood geometry is public; a CUSTOM zone is seen by its owning
 * organisation and by whoever sees the data of the municipality it lies in.
 */
export const ZONE_SCOPE_RULE: ScopeRule = {
  public: (q) => {
    q.whereNot('kind', 'CUSTOM');
  },
  municipalityColumn: 'municipality_code',
  organisationColumn: 'owner_organisation_id',
};

export function zoneOwnership(zone: IndexedZone): Ownership {
  return {
    public: zone.kind !== 'CUSTOM',
    municipality: zone.municipality_code,
    organisation: zone.owner_organisation_id,
  };
}

export interface ZoneInput {
  code: string;
  name: string;
  kind: ZoneKind;
  geometry: AreaGeometry;
}
