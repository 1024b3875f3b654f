import type { CallerScopeResolvers } from '../__generated__/resolvers-types';
import type { OrganisationRow, UserRow } from '../repository';

export const CallerScope: CallerScopeResolvers = {
  principalType: (scope) => scope.principal.type,
  user: (scope, _args, { loaders }): Promise<UserRow | null> | null =>
    scope.principal.type === 'USER' ? loaders.userById.load(scope.principal.userId) : null,
  organisation: (scope, _args, { loaders }): Promise<OrganisationRow | null> | null =>
    scope.organisationId ? loaders.organisationById.load(scope.organisationId) : null,
  municipalityCodes: (scope) => scope.municipalities,
  operatorIds: (scope) => scope.operators,
};
