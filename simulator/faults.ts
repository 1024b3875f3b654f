import type { SimVehicle } from './model';

/** A stable pseudo-random number in [0, 1) per vehicle, from its device id. */
function share(vehicle: SimVehicle): number {
  let hash = 2166136261;
  for (let i = 0; i < vehicle.deviceId.length; i++) {
    hash = Math.imul(hash ^ vehicle.deviceId.charCodeAt(i), 16777619);
  }
  return (hash >>> 0) / 4294967296;
}

/** Whether a partial API (missing `missingShare` of the fleet) leaves this vehicle out. */
export function isMissing(vehicle: SimVehicle, missingShare: number): boolean {
  return missingShare > 0 && share(vehicle) < missingShare;
}
