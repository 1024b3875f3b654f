import { DateTime, JSONScalar } from '../../../lib/graphql/scalars';
import type { Resolvers } from '../__generated__/resolvers-types';
import { ApiKey } from './ApiKey';
import { AuditLogEntry } from './AuditLogEntry';
import { CallerScope } from './CallerScope';
import { Dashboard } from './Dashboard';
import { DataAccessGrant } from './DataAccessGrant';
import { JobRun } from './JobRun';
import { JobSchedule } from './JobSchedule';
import { Mutation } from './Mutation';
import { Organisation } from './Organisation';
import { OrganisationChange } from './OrganisationChange';
import { Query } from './Query';
import { User } from './User';

export const resolvers: Resolvers = {
  JSON: JSONScalar,
  DateTime,
  Query,
  Mutation,
  Organisation,
  User,
  DataAccessGrant,
  ApiKey,
  CallerScope,
  Dashboard,
  AuditLogEntry,
  OrganisationChange,
  JobSchedule,
  JobRun,
};
