import { isUuid } from '../../lib/ids';
import type { VehicleKey } from './loaders';

/**
 * A live vehicle's id: its feed and the id in that feed, `<feed uuid>:<vehicle id>`. Clients treat
 * it as opaque; the feed's own id may contain any character, so only the first `:` separates.
 */
export function encodeVehicleId(feedId: string, vehicleId: string): string {
  return `${feedId}:${vehicleId}`;
}

export function decodeVehicleId(id: string): VehicleKey | null {
  const colon = id.indexOf(':');
  const feedId = id.slice(0, colon);
  const vehicleId = id.slice(colon + 1);
  if (colon < 0 || !isUuid(feedId) || vehicleId === '') return null;
  return { feedId: feedId.toLowerCase(), vehicleId };
}
