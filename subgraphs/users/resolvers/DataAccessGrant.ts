import type { DataAccessGrantResolvers } from '../__generated__/resolvers-types';
import { requireVisible } from '../authorize';

export const DataAccessGrant: DataAccessGrantResolvers = {
  createdAt: (grant) => grant.created_at,
  createdBy: (grant) => grant.created_by,
  revokedAt: (grant) => grant.revoked_at,
  async owner(grant, _args, { loaders }) {
    return requireVisible(
      await loaders.organisationById.load(grant.owner_organisation_id),
      'the owner',
    );
  },
  granteeOrganisation: (grant, _args, { loaders }) =>
    grant.grantee_organisation_id
      ? loaders.organisationById.load(grant.grantee_organisation_id)
      : null,
  granteeUser: (grant, _args, { loaders }) =>
    grant.grantee_user_id ? loaders.userById.load(grant.grantee_user_id) : null,
};
