import type { FeedOutageResolvers } from '../__generated__/resolvers-types';

export const FeedOutage: FeedOutageResolvers = {
  startedAt: (outage) => outage.started_at,
  endedAt: (outage) => outage.ended_at,
};
