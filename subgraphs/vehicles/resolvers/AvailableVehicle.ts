import type { AvailableVehicleResolvers } from '../__generated__/resolvers-types';
import { loadOperator } from '../loaders';

export const AvailableVehicle: AvailableVehicleResolvers = {
  id: (vehicle) => vehicle.public_id,
  formFactor: (vehicle) => vehicle.form_factor,
  operator: (vehicle, _args, { loaders }) => loadOperator(loaders, vehicle.operator_id),
};
