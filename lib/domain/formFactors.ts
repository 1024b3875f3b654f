/**
 * The form factors the product records, in this order everywhere (vehicle_types, vehicle_state,
 * trips, hubs; the migrations' CHECK lists are built from this constant).
 */
export const FORM_FACTORS = [
  'BICYCLE',
  'CARGO_BICYCLE',
  'MOPED',
  'SCOOTER_STANDING',
  'SCOOTER_SEATED',
  'CAR',
  'OTHER',
] as const;
export type FormFactor = (typeof FORM_FACTORS)[number];
