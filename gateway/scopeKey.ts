import type { Principal, Scope } from '../lib/auth/scope';

const keys = new WeakMap<Scope, string>();

const sorted = (values: readonly string[]): string[] => [...values].sort();

function principalKey(principal: Principal): string {
  switch (principal.type) {
    case 'ANONYMOUS':
      return 'anonymous';
    case 'USER':
      return `user:${principal.userId}`;
    case 'API_KEY':
      return `api-key:${principal.apiKeyId}`;
    case 'SERVICE':
      return `service:${principal.name}`;
  }
}

/**
 * A string equal for two scopes exactly when they see the same data: who (a user's `me` is
 * theirs alone), the organisation, and every grant, in a fixed order. Anything the gateway shares
 * between requests (one execution, a cached response, one subgraph fetch) is keyed by it, so
 * nothing ever crosses from one scope to another.
 */
export function scopeKey(scope: Scope): string {
  let key = keys.get(scope);
  if (key === undefined) {
    key = JSON.stringify([
      principalKey(scope.principal),
      scope.organisationId,
      scope.organisationType,
      scope.admin,
      sorted(scope.privileges),
      sorted(scope.municipalities),
      sorted(scope.ownMunicipalities),
      sorted(scope.operators),
    ]);
    keys.set(scope, key);
  }
  return key;
}

/** The anonymous caller: public data only, the same for everyone. */
export function isPublicScope(scope: Scope): boolean {
  return (
    scope.principal.type === 'ANONYMOUS' &&
    !scope.admin &&
    scope.organisationId === null &&
    scope.municipalities.length === 0 &&
    scope.operators.length === 0 &&
    scope.privileges.length === 0
  );
}
