import type { Logger } from '../lib/logger';
import type { SubgraphEndpoint } from './subgraphList';

export interface SubgraphHealth {
  name: string;
  healthUrl: string;
  up: boolean;
  reason?: string;
}

export type Readiness =
  | { ready: true; subgraphs: SubgraphHealth[] }
  | { ready: false; reason: string; subgraphs: SubgraphHealth[] };

export interface ReadinessOptions {
  /** The subgraphs of the schema being served; undefined until a supergraph is loaded. */
  subgraphs(): readonly SubgraphEndpoint[] | undefined;
  timeoutMs: number;
  cacheMs: number;
  logger: Logger;
}

/** What anyone may learn: ready or not, and which subgraphs (by name) are up. */
export interface PublicReadiness {
  status: 'ready' | 'not ready';
  subgraphs: { name: string; up: boolean }[];
}

export function publicReadiness(result: Readiness): PublicReadiness {
  return {
    status: result.ready ? 'ready' : 'not ready',
    subgraphs: result.subgraphs.map(({ name, up }) => ({ name, up })),
  };
}

/** A subgraph's liveness endpoint sits beside its GraphQL endpoint: same origin, path `/health`. */
export function healthUrlOf(graphqlUrl: string): string {
  return new URL('/health', graphqlUrl).toString();
}

/**
 * Ready when a supergraph is loaded and every subgraph in it answers `/health`. Results are
 * shared for `cacheMs` (a load balancer polling many replicas must not fan out to every subgraph on
 * every probe) and recomputed at once when the supergraph changes.
 */
export function createReadinessCheck(options: ReadinessOptions): () => Promise<Readiness> {
  let cached:
    { at: number; subgraphs: readonly SubgraphEndpoint[]; result: Promise<Readiness> } | undefined;
  return () => {
    const subgraphs = options.subgraphs();
    if (!subgraphs) {
      return Promise.resolve({ ready: false, reason: 'no supergraph loaded', subgraphs: [] });
    }
    const now = Date.now();
    if (cached?.subgraphs === subgraphs && now - cached.at < options.cacheMs) return cached.result;
    cached = { at: now, subgraphs, result: checkAll(subgraphs, options) };
    return cached.result;
  };
}

async function checkAll(
  subgraphs: readonly SubgraphEndpoint[],
  options: ReadinessOptions,
): Promise<Readiness> {
  const health = await Promise.all(subgraphs.map((s) => checkOne(s, options.timeoutMs)));
  const down = health.filter((h) => !h.up);
  if (down.length === 0) return { ready: true, subgraphs: health };
  options.logger.warn({ down }, 'not ready: subgraphs down');
  const names = down.map((h) => `"${h.name}"`).join(', ');
  return { ready: false, reason: `subgraph ${names} down`, subgraphs: health };
}

async function checkOne(subgraph: SubgraphEndpoint, timeoutMs: number): Promise<SubgraphHealth> {
  const healthUrl = healthUrlOf(subgraph.url);
  try {
    const response = await fetch(healthUrl, { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    if (response.ok) return { name: subgraph.name, healthUrl, up: true };
    return { name: subgraph.name, healthUrl, up: false, reason: `HTTP ${response.status}` };
  } catch (err) {
    const reason =
      err instanceof Error && err.name === 'TimeoutError'
        ? `no answer within ${timeoutMs} ms`
        : describeFetchError(err);
    return { name: subgraph.name, healthUrl, up: false, reason };
  }
}

/** undici reports "fetch failed" and hides the useful part (ECONNREFUSED, ...) in `cause`. */
function describeFetchError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause;
  if (cause instanceof Error) return (cause as NodeJS.ErrnoException).code ?? cause.message;
  return err.message;
}
