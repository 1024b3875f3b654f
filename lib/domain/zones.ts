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

export interface ZoneInput {
  code: string;
  name: string;
  kind: ZoneKind;
  geometry: AreaGeometry;
}
