import type { OdFlowResolvers } from '../__generated__/resolvers-types';

export const OdFlow: OdFlowResolvers = {
  origin: (flow) => ({ id: flow.origin, level: flow.level }),
  destination: (flow) => ({ id: flow.destination, level: flow.level }),
  meanDurationSeconds: (flow) => flow.mean_duration_seconds,
  meanDistanceMeters: (flow) => flow.mean_distance_meters,
};
