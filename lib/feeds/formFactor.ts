import type { FormFactor } from '../domain/formFactors';

/** GBFS `form_factor` (2.3 and 3.0; `scooter` is the pre-2.3 name of a standing scooter). */
const GBFS_FORM_FACTORS: Record<string, FormFactor> = {
  bicycle: 'BICYCLE',
  cargo_bicycle: 'CARGO_BICYCLE',
  car: 'CAR',
  moped: 'MOPED',
  scooter: 'SCOOTER_STANDING',
  scooter_standing: 'SCOOTER_STANDING',
  scooter_seated: 'SCOOTER_SEATED',
  other: 'OTHER',
};

/**
 * MDS `vehicle_type` (2.0 adds bus, delivery_robot, motorcycle, truck; `scooter` is MDS 1.x).
 * A motorcycle is not a moped (licence, speed), so it is OTHER like the rest.
 */
const MDS_FORM_FACTORS: Record<string, FormFactor> = {
  ...GBFS_FORM_FACTORS,
  bus: 'OTHER',
  delivery_robot: 'OTHER',
  motorcycle: 'OTHER',
  truck: 'OTHER',
};

export function gbfsFormFactor(value: string): FormFactor {
  return GBFS_FORM_FACTORS[value] ?? 'OTHER';
}

export function mdsFormFactor(value: string): FormFactor {
  return MDS_FORM_FACTORS[value] ?? 'OTHER';
}

/** The GBFS `form_factor` of a form factor, for feeds we publish (the simulator). */
export function toGbfsFormFactor(formFactor: FormFactor): string {
  return formFactor.toLowerCase();
}
