import type { VehicleTypeResolvers } from '../__generated__/resolvers-types';
import { loadOperator } from '../loaders';

export const VehicleType: VehicleTypeResolvers = {
  __resolveReference: ({ operatorId, id }, { loaders }) =>
    loaders.vehicleTypeByKey.load({ operatorId, id }),
  operatorId: (type) => type.operator_id,
  formFactor: (type) => type.form_factor,
  propulsionType: (type) => type.propulsion_type,
  operator: (type, _args, { loaders }) => loadOperator(loaders, type.operator_id),
};
