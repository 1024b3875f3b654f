import type { FormFactor } from '../lib/domain/formFactors';
import { HOUR, MINUTE } from '../lib/units';
import type { MdsMode, SimVehicleType } from './model';

/** Mean time a vehicle stands still between two things happening to it, at an average hour. */
export const MEAN_IDLE_MS: Record<FormFactor, number> = {
  BICYCLE: 3 * HOUR,
  CARGO_BICYCLE: 6 * HOUR,
  MOPED: 3 * HOUR,
  SCOOTER_STANDING: 2 * HOUR,
  SCOOTER_SEATED: 2 * HOUR,
  CAR: 6 * HOUR,
  OTHER: 4 * HOUR,
};

/** Riding speed in metres per second, for trip durations. */
export const SPEED_METERS_PER_SECOND: Record<FormFactor, number> = {
  BICYCLE: 4.2,
  CARGO_BICYCLE: 3.3,
  MOPED: 6.9,
  SCOOTER_STANDING: 4.4,
  SCOOTER_SEATED: 5,
  CAR: 8.3,
  OTHER: 4,
};

/** How busy each hour of the day is in Amsterdam (0 = midnight), relative to an average hour. */
const HOURLY_ACTIVITY = [
  0.25, 0.15, 0.1, 0.08, 0.08, 0.15, 0.4, 0.9, 1.5, 1.2, 1, 1.1, 1.3, 1.3, 1.2, 1.3, 1.5, 1.9, 1.7,
  1.4, 1.1, 0.9, 0.7, 0.45,
];

/** The hour of the day in Europe/Amsterdam. */
const amsterdamHour = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Amsterdam',
  hour: 'numeric',
  hourCycle: 'h23',
});
let cachedHour = { utcHour: NaN, localHour: 0 };

export function activityAt(ms: number): number {
  const utcHour = Math.floor(ms / HOUR);
  if (utcHour !== cachedHour.utcHour) {
    cachedHour = { utcHour, localHour: Number(amsterdamHour.format(new Date(ms))) };
  }
  return HOURLY_ACTIVITY[cachedHour.localHour] ?? 1;
}

/** What happens when a parked, available vehicle's idle time ends, with relative weights. */
export const IDLE_OUTCOMES = [
  'RENTAL',
  'RESERVATION',
  'HIDDEN_RESERVATION',
  'RELOCATION',
  'DISABLE',
] as const;
export const IDLE_OUTCOME_WEIGHTS = [0.8, 0.05, 0.04, 0.04, 0.07];

export const RENTAL_MIN_METERS = 500;
export const RENTAL_MAX_METERS = 5000;
/** A reservation lasts this long (always under the importer's 15-minute threshold). */
export const RESERVATION_MIN_MS = 2 * MINUTE;
export const RESERVATION_MAX_MS = 14 * MINUTE;
/** Share of visible reservations that turn into a rental (the rest are cancelled). */
export const RESERVATION_RENTAL_SHARE = 0.6;
/** A vehicle that comes back from a hidden reservation moves at most this far (GPS drift). */
export const HIDDEN_DRIFT_MAX_METERS = 60;
export const RELOCATION_MIN_METERS = 800;
export const RELOCATION_MAX_METERS = 3000;
export const DISABLED_MIN_MS = 20 * MINUTE;
export const DISABLED_MAX_MS = 4 * HOUR;

/** The vehicle type an operator publishes for its form factor. */
export function vehicleTypeFor(
  operatorId: string,
  operatorName: string,
  formFactor: FormFactor,
): SimVehicleType {
  const human = formFactor === 'BICYCLE' || formFactor === 'CARGO_BICYCLE';
  const label = formFactor.toLowerCase().replace('_', ' ');
  return {
    id: `${operatorId}-${formFactor.toLowerCase()}`,
    formFactor,
    propulsionType: human ? 'electric_assist' : 'electric',
    maxRangeMeters: formFactor === 'CAR' ? 300_000 : formFactor === 'MOPED' ? 60_000 : 40_000,
    name: `${operatorName} e-${label}`,
  };
}

export function mdsModeFor(formFactor: FormFactor): MdsMode {
  return formFactor === 'CAR' ? 'car-share' : 'micromobility';
}

/** What happened to a vehicle, in terms of the MDS event types each mode allows for it. */
export type MdsHappening =
  | 'DEPLOYED'
  | 'TRIP_START'
  | 'TRIP_END'
  | 'RESERVATION_START'
  | 'RESERVATION_CANCEL'
  | 'RELOCATED'
  | 'DISABLED'
  | 'REPAIRED'
  | 'REBALANCE_PICK_UP'
  | 'REBALANCE_DROP_OFF';

export const MDS_EVENT_TYPES: Record<MdsMode, Record<MdsHappening, string>> = {
  micromobility: {
    DEPLOYED: 'provider_drop_off',
    TRIP_START: 'trip_start',
    TRIP_END: 'trip_end',
    RESERVATION_START: 'reservation_start',
    RESERVATION_CANCEL: 'reservation_cancel',
    RELOCATED: 'provider_drop_off',
    DISABLED: 'battery_low',
    REPAIRED: 'battery_charged',
    REBALANCE_PICK_UP: 'rebalance_pick_up',
    REBALANCE_DROP_OFF: 'provider_drop_off',
  },
  'car-share': {
    DEPLOYED: 'service_start',
    TRIP_START: 'trip_start',
    TRIP_END: 'trip_end',
    RESERVATION_START: 'reservation_start',
    RESERVATION_CANCEL: 'customer_cancellation',
    RELOCATED: 'service_start',
    DISABLED: 'service_end',
    REPAIRED: 'service_start',
    REBALANCE_PICK_UP: 'maintenance_pick_up',
    REBALANCE_DROP_OFF: 'service_start',
  },
};
