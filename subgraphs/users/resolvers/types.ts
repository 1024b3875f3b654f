import { forbidden } from '../../../lib/errors';
import type {
  ApiKeyResolvers,
  CallerScopeResolvers,
  DataAccessGrantResolvers,
  OrganisationResolvers,
  UserResolvers,
} from '../__generated__/resolvers-types';
import type { OrganisationRow, UserRow } from '../repository';

/** A reference the caller may not see resolves to null; a required one is an error, not a hole. */
function required<T>(row: T | null, what: string): T {
  if (!row) throw forbidden(`${what} is outside your scope`);
  return row;
}

export const Organisation: OrganisationResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.organisationById.load(id),
  municipalityCodes: (org) => org.municipality_codes,
  operatorIds: (org) => org.operator_ids,
  createdAt: (org) => org.created_at,
  updatedAt: (org) => org.updated_at,
  history: (org, _args, { repository }) => repository.organisationHistory(org.id),
  users: (org, _args, { repository }) => repository.usersOfOrganisation(org.id),
};

export const User: UserResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.userById.load(id),
  createdAt: (user) => user.created_at,
  async organisation(user, _args, { loaders }) {
    return required(await loaders.organisationById.load(user.organisation_id), 'the organisation');
  },
};

export const DataAccessGrant: DataAccessGrantResolvers = {
  createdAt: (grant) => grant.created_at,
  createdBy: (grant) => grant.created_by,
  revokedAt: (grant) => grant.revoked_at,
  async owner(grant, _args, { loaders }) {
    return required(await loaders.organisationById.load(grant.owner_organisation_id), 'the owner');
  },
  granteeOrganisation: (grant, _args, { loaders }) =>
    grant.grantee_organisation_id
      ? loaders.organisationById.load(grant.grantee_organisation_id)
      : null,
  granteeUser: (grant, _args, { loaders }) =>
    grant.grantee_user_id ? loaders.userById.load(grant.grantee_user_id) : null,
};

export const ApiKey: ApiKeyResolvers = {
  createdAt: (key) => key.created_at,
  lastUsedAt: (key) => key.last_used_at,
  expiresAt: (key) => key.expires_at,
  revokedAt: (key) => key.revoked_at,
  async owner(key, _args, { loaders }) {
    return required(await loaders.userById.load(key.owner_user_id), 'the owner');
  },
};

export const CallerScope: CallerScopeResolvers = {
  principalType: (scope) => scope.principal.type,
  user: (scope, _args, { loaders }): Promise<UserRow | null> | null =>
    scope.principal.type === 'USER' ? loaders.userById.load(scope.principal.userId) : null,
  organisation: (scope, _args, { loaders }): Promise<OrganisationRow | null> | null =>
    scope.organisationId ? loaders.organisationById.load(scope.organisationId) : null,
  municipalityCodes: (scope) => scope.municipalities,
  operatorIds: (scope) => scope.operators,
};
