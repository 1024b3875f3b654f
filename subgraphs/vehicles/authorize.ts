import { requireAdmin, type Scope } from '../../lib/auth/scope';

/**
 * Who may change what: operators and feeds belong to the platform, so creating or changing one
 * needs an ADMIN organisation; everyone else only reads (within their scope).
 */
export function requireFleetAdmin(scope: Scope, action: string): void {
  requireAdmin(scope, action);
}
