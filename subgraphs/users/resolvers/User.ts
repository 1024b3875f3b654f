import type { UserResolvers } from '../__generated__/resolvers-types';
import { requireVisible } from '../authorize';

export const User: UserResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.userById.load(id),
  createdAt: (user) => user.created_at,
  async organisation(user, _args, { loaders }) {
    return requireVisible(
      await loaders.organisationById.load(user.organisation_id),
      'the organisation',
    );
  },
};
