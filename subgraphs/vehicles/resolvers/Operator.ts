import type { OperatorResolvers } from '../__generated__/resolvers-types';

export const Operator: OperatorResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.operatorById.load(id),
  systemName: (operator) => operator.system_name,
  vehicleTypes: (operator, _args, { loaders }) => loaders.vehicleTypesByOperator.load(operator.id),
  // Scoped like every feed read: empty for callers who may not see this operator's feeds.
  feeds: (operator, _args, { loaders }) => loaders.feedsByOperator.load(operator.id),
};
