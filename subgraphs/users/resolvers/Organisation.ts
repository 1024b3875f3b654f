import type { OrganisationResolvers } from '../__generated__/resolvers-types';

export const Organisation: OrganisationResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.organisationById.load(id),
  municipalityCodes: (org) => org.municipality_codes,
  operatorIds: (org) => org.operator_ids,
  createdAt: (org) => org.created_at,
  updatedAt: (org) => org.updated_at,
  history: (org, _args, { reader }) => reader.organisationHistory(org.id),
  users: (org, _args, { reader }) => reader.usersOfOrganisation(org.id),
};
