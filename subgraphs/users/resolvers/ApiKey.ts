import type { ApiKeyResolvers } from '../__generated__/resolvers-types';
import { requireVisible } from '../authorize';

export const ApiKey: ApiKeyResolvers = {
  createdAt: (key) => key.created_at,
  lastUsedAt: (key) => key.last_used_at,
  expiresAt: (key) => key.expires_at,
  revokedAt: (key) => key.revoked_at,
  async owner(key, _args, { loaders }) {
    return requireVisible(await loaders.userById.load(key.owner_user_id), 'the owner');
  },
};
