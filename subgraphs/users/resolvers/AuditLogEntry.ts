import type { AuditLogEntryResolvers } from '../__generated__/resolvers-types';

export const AuditLogEntry: AuditLogEntryResolvers = {
  actorType: (e) => e.actor_type,
  actorId: (e) => e.actor_id,
  targetType: (e) => e.target_type,
  targetId: (e) => e.target_id,
};
