const EARTH_RADIUS_METERS = 6_371_008.8;
const RAD = Math.PI / 180;

/** Great-circle distance between two WGS84 points, in metres. */
export function haversineMeters(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLng = (lng2 - lng1) * RAD;
  const a =
    Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_METERS * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** The point `distanceMeters` from (lat, lng) along `bearingDegrees` (0 = north). */
export function destination(
  lat: number,
  lng: number,
  bearingDegrees: number,
  distanceMeters: number,
): { lat: number; lng: number } {
  const delta = distanceMeters / EARTH_RADIUS_METERS;
  const theta = bearingDegrees * RAD;
  const phi1 = lat * RAD;
  const lambda1 = lng * RAD;
  const phi2 = Math.asin(
    Math.sin(phi1) * Math.cos(delta) + Math.cos(phi1) * Math.sin(delta) * Math.cos(theta),
  );
  const lambda2 =
    lambda1 +
    Math.atan2(
      Math.sin(theta) * Math.sin(delta) * Math.cos(phi1),
      Math.cos(delta) - Math.sin(phi1) * Math.sin(phi2),
    );
  return { lat: phi2 / RAD, lng: lambda2 / RAD };
}

/** Rounds a coordinate to 6 decimals (about 0.1 m), as feeds publish them. */
export function roundCoordinate(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
