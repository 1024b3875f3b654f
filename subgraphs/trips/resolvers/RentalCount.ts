import type { RentalCountResolvers } from '../__generated__/resolvers-types';

export const RentalCount: RentalCountResolvers = {
  operator: (count) => (count.operator_id === null ? null : { id: count.operator_id }),
  formFactor: (count) => count.form_factor,
  municipalityCode: (count) => count.municipality_code,
  zone: (count) => (count.zone_id === null ? null : { id: count.zone_id }),
};
