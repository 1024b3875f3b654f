import type { DashboardResolvers } from '../__generated__/resolvers-types';

export const Dashboard: DashboardResolvers = { updatedAt: (d) => d.updated_at };
