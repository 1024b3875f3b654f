import type { Knex } from 'knex';
import type { Scope } from './auth/scope';

export interface AuditEntry {
  action: string;
  targetType?: string;
  targetId?: string;
  details?: Record<string, unknown>;
}

function actorId(scope: Scope): string | null {
  switch (scope.principal.type) {
    case 'USER':
      return scope.principal.userId;
    case 'API_KEY':
      return scope.principal.apiKeyId;
    case 'SERVICE':
      return scope.principal.name;
    case 'ANONYMOUS':
      return null;
  }
}

/**
 * Appends to the audit log: every admin mutation and every raw-data download. Pass the mutation's
 * transaction so the entry commits (or rolls back) with the change it records.
 */
export async function recordAudit(
  db: Knex | Knex.Transaction,
  scope: Scope,
  entry: AuditEntry,
): Promise<void> {
  await db('audit_log').insert({
    actor_type: scope.principal.type,
    actor_id: actorId(scope),
    actor_organisation_id: scope.organisationId,
    action: entry.action,
    target_type: entry.targetType ?? null,
    target_id: entry.targetId ?? null,
    details: JSON.stringify(entry.details ?? {}),
  });
}

/** A short description of who acted, for change histories. */
export function describeActor(scope: Scope): string {
  const principal = scope.principal;
  switch (principal.type) {
    case 'USER':
      return principal.email;
    case 'API_KEY':
      return `api-key:${principal.apiKeyId}`;
    case 'SERVICE':
      return `service:${principal.name}`;
    case 'ANONYMOUS':
      return 'anonymous';
  }
}
