import { DateTime, JSONScalar } from '../../../lib/graphql/scalars';
import type { Resolvers } from '../__generated__/resolvers-types';
import { Mutation } from './Mutation';
import { Query } from './Query';
import { ApiKey, CallerScope, DataAccessGrant, Organisation, User } from './types';

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
  Dashboard: { updatedAt: (d) => d.updated_at },
  AuditLogEntry: {
    actorType: (e) => e.actor_type,
    actorId: (e) => e.actor_id,
    targetType: (e) => e.target_type,
    targetId: (e) => e.target_id,
  },
  OrganisationChange: { changedAt: (h) => h.changed_at, changedBy: (h) => h.changed_by },
};
