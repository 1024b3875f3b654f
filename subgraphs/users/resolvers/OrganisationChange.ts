import type { OrganisationChangeResolvers } from '../__generated__/resolvers-types';

export const OrganisationChange: OrganisationChangeResolvers = {
  changedAt: (h) => h.changed_at,
  changedBy: (h) => h.changed_by,
};
