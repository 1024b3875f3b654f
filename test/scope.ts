import { SCOPE_HEADER, signScope } from '../lib/auth/scopeHeader';
import type { Scope } from '../lib/auth/scope';

/** The secret test gateways and subgraphs share. */
export const TEST_SCOPE_SECRET = 'test-scope-secret-0123456789abcdef';

/** Headers for calling a subgraph directly, as the gateway would for `scope`. */
export function scopeHeaders(scope: Scope, secret = TEST_SCOPE_SECRET): Record<string, string> {
  return { [SCOPE_HEADER]: signScope(scope, secret, 60_000) };
}
