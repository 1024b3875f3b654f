import { serviceScope, type Scope } from '../../lib/auth/scope';
import { SCOPE_HEADER, signScope } from '../../lib/auth/scopeHeader';
import { channels } from '../../lib/domain/channels';
import { currentRequest, type Logger } from '../../lib/logger';
import { type PubSub } from '../../lib/pubsub';
import { REQUEST_ID_HEADER } from '../requestLog';

export type Credentials = { email: string } | { apiKey: string };

export type ScopeLookup = { ok: true; scope: Scope } | { ok: false; reason: string };

export interface ScopeResolver {
  resolve(credentials: Credentials): Promise<ScopeLookup>;
  /** Calls `listener` each time the cache was dropped because scopes changed; returns an unsubscribe. */
  onInvalidated(listener: () => void): () => void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export class ScopeServiceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScopeServiceError';
  }
}

const RESOLVE_SCOPE = `query ResolveScope($email: String, $apiKey: String) {
  _resolveScope(email: $email, apiKey: $apiKey) { scope reason }
}`;

interface Options {
  /** The users subgraph's GraphQL URL (read at each lookup: the supergraph may change). */
  usersUrl: () => string | undefined;
  scopeSecret: string;
  cacheTtlMs: number;
  timeoutMs: number;
  pubsub: PubSub;
  logger: Logger;
}

/**
 * Asks the users subgraph what a user's or API key's credentials may see, with the gateway's own
 * service scope, and caches the answer for `cacheTtlMs`. Any gateway that hears of a change to
 * users, grants or keys (pub/sub, across replicas with Redis) drops its whole cache at once.
 */
export function createScopeResolver(options: Options): ScopeResolver {
  const cache = new Map<string, { expires: number; lookup: Promise<ScopeLookup> }>();
  const service = serviceScope('gateway');
  const listeners = new Set<() => void>();
  let unsubscribe: (() => Promise<void>) | undefined;

  const fetchScope = async (credentials: Credentials): Promise<ScopeLookup> => {
    const url = options.usersUrl();
    if (!url) throw new ScopeServiceError('the users subgraph is not in the supergraph');
    // The request that needed the lookup: the users subgraph logs its lines under the same id.
    const requestId = currentRequest()?.requestId;
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [SCOPE_HEADER]: signScope(service, options.scopeSecret, options.timeoutMs + 5000),
          ...(requestId ? { [REQUEST_ID_HEADER]: requestId } : {}),
        },
        body: JSON.stringify({ query: RESOLVE_SCOPE, variables: credentials }),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (err) {
      throw new ScopeServiceError(`the users subgraph is unreachable (${(err as Error).message})`);
    }
    const body = (await response.json().catch(() => ({}))) as {
      data?: { _resolveScope?: { scope: Scope | null; reason: string | null } };
      errors?: { message: string }[];
    };
    const result = body.data?._resolveScope;
    if (!result) {
      throw new ScopeServiceError(
        `the users subgraph failed: ${body.errors?.[0]?.message ?? response.status}`,
      );
    }
    return result.scope
      ? { ok: true, scope: result.scope }
      : { ok: false, reason: result.reason ?? 'refused' };
  };

  return {
    resolve(credentials) {
      const key =
        'email' in credentials ? `u:${credentials.email.toLowerCase()}` : `k:${credentials.apiKey}`;
      const now = Date.now();
      const hit = cache.get(key);
      if (hit && hit.expires > now) return hit.lookup;
      const lookup = fetchScope(credentials);
      cache.set(key, { expires: now + options.cacheTtlMs, lookup });
      // Never cache a failure to reach the users subgraph.
      lookup.catch(() => cache.delete(key));
      return lookup;
    },
    onInvalidated(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async start() {
      unsubscribe = await options.pubsub.subscribe(channels.scopeInvalidated, () => {
        options.logger.debug({ entries: cache.size }, 'scope cache invalidated');
        cache.clear();
        for (const listener of [...listeners]) listener();
      });
    },
    async stop() {
      await unsubscribe?.();
      cache.clear();
    },
  };
}
