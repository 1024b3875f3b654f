import { hasPrivilege, type Scope } from '../../lib/auth/scope';
import type { ScopeRule } from '../../lib/auth/scopedDb';
import { forbidden, notFound } from '../../lib/errors';
import { userIdOf } from './repository';

/**
 * Who may change what: ADMIN everything; ORGANISATION_ADMIN within its own organisation (but never
 * what the organisation owns, which would widen its own scope); everyone else only themselves.
 */
export function requireOrganisationAdmin(
  scope: Scope,
  organisationId: string,
  action: string,
): void {
  if (scope.admin) return;
  if (!hasPrivilege(scope, 'ORGANISATION_ADMIN') || scope.organisationId !== organisationId) {
    throw forbidden(`${action} needs ORGANISATION_ADMIN in organisation ${organisationId}`);
  }
}

/**
 * For a user or key of `organisationId`: another organisation's entities are answered as not
 * found, exactly like ids that do not exist, so that neither their existence nor their
 * organisation shows; within the caller's own organisation ORGANISATION_ADMIN is required.
 */
export function requireManagedEntity(
  scope: Scope,
  organisationId: string,
  entity: string,
  id: string,
  action: string,
): void {
  if (scope.admin) return;
  if (scope.organisationId !== organisationId) throw notFound(entity, id);
  requireOrganisationAdmin(scope, organisationId, action);
}

export function requireUser(scope: Scope, action: string): string {
  const userId = userIdOf(scope);
  if (!userId) throw forbidden(`${action} needs a signed-in user (not an API key or anonymous)`);
  return userId;
}

/** A reference the caller may not see resolves to null; a required one is an error, not a hole. */
export function requireVisible<T>(row: T | null, what: string): T {
  if (!row) throw forbidden(`${what} is outside your scope`);
  return row;
}

/** Rows only ADMIN sees (job schedules and runs): a rule with no clause shows nobody else anything. */
export const ADMIN_ONLY: ScopeRule = {};
