/** Mean radius of the Earth (IUGG), in metres: every distance in the product uses this sphere. */
export const EARTH_RADIUS_METERS = 6_371_008.8;
const RADIANS = Math.PI / 180;
/** Metres per degree of latitude (and of longitude at the equator) on that sphere. */
export const METERS_PER_DEGREE = (EARTH_RADIUS_METERS * Math.PI) / 180;

/** Great-circle distance between two WGS84 points (haversine), in metres. */
export function distanceMeters(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const dLat = (lat2 - lat1) * RADIANS;
  const dLng = (lng2 - lng1) * RADIANS;
  const a =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(lat1 * RADIANS) * Math.cos(lat2 * RADIANS) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_METERS * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Degrees of latitude that span `meters` (for grid buckets; longitude needs a cos(lat) factor). */
export function metersToLatDegrees(meters: number): number {
  return meters / (EARTH_RADIUS_METERS * RADIANS);
}

/** The point `distanceMeters` from (lat, lng) along `bearingDegrees` (0 = north). */
export function destination(
  lat: number,
  lng: number,
  bearingDegrees: number,
  distanceMeters: number,
): { lat: number; lng: number } {
  const delta = distanceMeters / EARTH_RADIUS_METERS;
  const theta = bearingDegrees * RADIANS;
  const phi1 = lat * RADIANS;
  const lambda1 = lng * RADIANS;
  const phi2 = Math.asin(
    Math.sin(phi1) * Math.cos(delta) + Math.cos(phi1) * Math.sin(delta) * Math.cos(theta),
  );
  const lambda2 =
    lambda1 +
    Math.atan2(
      Math.sin(theta) * Math.sin(delta) * Math.cos(phi1),
      Math.cos(delta) - Math.sin(phi1) * Math.sin(phi2),
    );
  return { lat: phi2 / RADIANS, lng: lambda2 / RADIANS };
}
