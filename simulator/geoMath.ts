/** Rounds a coordinate to 6 decimals (about 0.1 m), as feeds publish them. */
export function roundCoordinate(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
