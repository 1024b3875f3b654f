import DataLoader from 'dataloader';
import type { ScopedDb } from '../../lib/auth/scopedDb';
import { lastRuns, type JobRunRow } from '../../lib/domain/jobSchedules';
import { createByIdLoader } from '../../lib/loaders';
import { ADMIN_ONLY } from './authorize';
import type { OrganisationRow, UserRow, UsersRepository } from './repository';

export interface UsersLoaders {
  organisationById: DataLoader<string, OrganisationRow | null>;
  userById: DataLoader<string, UserRow | null>;
  /** The latest run of each schedule asked for in a request, in one query. */
  lastJobRun: DataLoader<string, JobRunRow | null>;
}

export function createLoaders(repository: UsersRepository, db: ScopedDb): UsersLoaders {
  return {
    lastJobRun: new DataLoader(async (names) => {
      const rows = await lastRuns((table) => db.from(table, ADMIN_ONLY), names);
      const found = new Map(rows.map((r) => [r.schedule_name, r]));
      return names.map((name) => found.get(name) ?? null);
    }),
    organisationById: createByIdLoader((ids) => repository.organisationsByIds(ids)),
    userById: createByIdLoader((ids) => repository.usersByIds(ids)),
  };
}
