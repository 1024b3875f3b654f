import type DataLoader from 'dataloader';
import { createByIdLoader } from '../../lib/loaders';
import type { OrganisationRow, UserRow, UsersRepository } from './repository';

export interface UsersLoaders {
  organisationById: DataLoader<string, OrganisationRow | null>;
  userById: DataLoader<string, UserRow | null>;
}

export function createLoaders(repository: UsersRepository): UsersLoaders {
  return {
    organisationById: createByIdLoader((ids) => repository.organisationsByIds(ids)),
    userById: createByIdLoader((ids) => repository.usersByIds(ids)),
  };
}
