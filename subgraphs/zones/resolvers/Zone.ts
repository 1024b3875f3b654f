import { geometryAreaKm2, geometryBbox } from '../../../lib/geo/geometry';
import type { ZoneResolvers } from '../__generated__/resolvers-types';

export const Zone: ZoneResolvers = {
  __resolveReference({ id }, { loaders }) {
    return loaders.zoneById.load(id);
  },

  // Derived columns are filled at insert and by the zone refresh job; until then, compute them.
  bbox(zone) {
    if (
      zone.min_lng !== null &&
      zone.min_lat !== null &&
      zone.max_lng !== null &&
      zone.max_lat !== null
    ) {
      return {
        minLng: zone.min_lng,
        minLat: zone.min_lat,
        maxLng: zone.max_lng,
        maxLat: zone.max_lat,
      };
    }
    const [minLng, minLat, maxLng, maxLat] = geometryBbox(zone.geometry);
    return { minLng, minLat, maxLng, maxLat };
  },

  areaKm2(zone) {
    return zone.area_km2 ?? geometryAreaKm2(zone.geometry);
  },

  retiredAt(zone) {
    return zone.retired_at;
  },
};
