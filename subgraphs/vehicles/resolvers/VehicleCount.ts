import type { VehicleCountResolvers } from '../__generated__/resolvers-types';
import { loadOperator } from '../loaders';

export const VehicleCount: VehicleCountResolvers = {
  operator: (count, _args, { loaders }) =>
    count.operator_id === null ? null : loadOperator(loaders, count.operator_id),
  formFactor: (count) => count.form_factor,
  placement: (count) => count.placement,
  municipalityCode: (count) => count.municipality_code,
  zone: (count) => (count.zone_id === null ? null : { id: count.zone_id }),
};
