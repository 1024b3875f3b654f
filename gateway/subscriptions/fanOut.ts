import { randomUUID } from 'node:crypto';
import { GraphQLError, type ExecutionResult, type FormattedExecutionResult } from 'graphql';
import type { Scope } from '../../lib/auth/scope';
import type { Logger } from '../../lib/logger';
import { ClientStream, type ClientSocket } from './clientStream';
import type { DataSourceRegistry } from './dataSources';
import { internalError, schemaChanged } from './errors';
import { executeEvent } from './eventExecutor';
import { fingerprint } from './keys';
import type { PlannedSubscription, SubscriptionRequest, PlanResult } from './planner';
import {
  openUpstream,
  type Upstream,
  type UpstreamEvent,
  type UpstreamRetryPolicy,
} from './upstream';

export interface SubscriptionFanOutOptions {
  dataSources: DataSourceRegistry;
  scopeSecret: string;
  scopeTtlMs: number;
  upstreamConnectTimeoutMs: number;
  upstreamKeepAliveMs: number;
  upstreamRetry: UpstreamRetryPolicy;
  maxBufferedBytes: number;
  /** Masks and shapes a result for clients, as for HTTP responses. */
  formatResult(result: ExecutionResult): FormattedExecutionResult;
  logger: Logger;
}

export interface SubscriptionStats {
  /** Upstream subscriptions open to subgraphs. */
  upstreams: number;
  /** Distinct client operations (operation + variables + scope): each runs the plan once per event. */
  groups: number;
  /** Client subscriptions. */
  clients: number;
}

export interface SubscriptionFanOut {
  /**
   * Attaches a client's subscription (`id` on `socket`) to the shared upstream for its operation
   * and scope, opening that upstream if needed.
   */
  subscribe(
    planned: PlannedSubscription,
    scope: Scope,
    client: { socket: ClientSocket; id: string },
    onEnd: () => void,
  ): ClientStream;
  /** After a schema reload: re-validates and re-plans every running subscription. */
  replan(plan: (request: SubscriptionRequest) => PlanResult): void;
  /** Completes every client subscription and closes every upstream. */
  close(): void;
  stats(): SubscriptionStats;
}

/** Clients with the same operation, variables and scope: the plan runs once per event for all. */
interface EventGroup {
  planned: PlannedSubscription;
  shared: SharedUpstream;
  clients: Set<ClientStream>;
  /** Events run one after the other, so every client sees them in the order the subgraph sent. */
  queue: Promise<void>;
}

/** One upstream subscription, shared by every client with the same upstream operation and scope. */
interface SharedUpstream {
  key: string;
  scope: Scope;
  scopeKey: string;
  groups: Map<string, EventGroup>;
  connection?: Upstream;
}

/**
 * Shares upstream subscriptions between clients. The key is the owning subgraph, the primary
 * fetch's operation and variables, and a fingerprint of the caller's whole scope: clients share a
 * stream only when the subgraph would send each of them exactly the same events. Per event, the
 * rest of the plan runs once per distinct client operation, and its result is formatted and
 * serialized once and written to all that operation's clients.
 */
export function createSubscriptionFanOut(options: SubscriptionFanOutOptions): SubscriptionFanOut {
  const logger = options.logger;
  const upstreams = new Map<string, SharedUpstream>();
  const membership = new Map<ClientStream, EventGroup>();

  const upstreamKey = (planned: PlannedSubscription, scopeKey: string): string => {
    const { subgraph, query, operationName, variables } = planned.upstream;
    return fingerprint(subgraph, query, operationName ?? null, variables, scopeKey);
  };

  const closeShared = (shared: SharedUpstream): void => {
    if (upstreams.get(shared.key) === shared) upstreams.delete(shared.key);
    shared.connection?.close();
  };

  const removeGroup = (group: EventGroup): void => {
    const { shared } = group;
    const key = group.planned.operationKey;
    if (shared.groups.get(key) === group) shared.groups.delete(key);
    if (shared.groups.size === 0) closeShared(shared);
  };

  const leave = (client: ClientStream): void => {
    const group = membership.get(client);
    if (!group) return;
    membership.delete(client);
    group.clients.delete(client);
    if (group.clients.size === 0) removeGroup(group);
  };

  const runEvent = async (group: EventGroup, event: UpstreamEvent): Promise<void> => {
    if (group.clients.size === 0) return;
    const requestId = randomUUID();
    const context = {
      requestId,
      logger: logger.child({ requestId }),
      scope: group.shared.scope,
      access: { requestId },
    };
    let result: ExecutionResult;
    try {
      result = await executeEvent(group.planned, event, options.dataSources.all(), context);
    } catch (err) {
      context.logger.error({ err }, 'subscription event failed');
      result = { errors: [internalError('the gateway could not resolve this event')] };
    }
    const payload = JSON.stringify(options.formatResult(result));
    for (const client of [...group.clients]) client.deliver(payload);
  };

  const dispatch = (shared: SharedUpstream, event: UpstreamEvent): void => {
    for (const group of shared.groups.values()) {
      group.queue = group.queue.then(() => runEvent(group, event));
    }
  };

  /** Ends every client of an upstream that ended, after the events already on their way. */
  const endShared = (shared: SharedUpstream, errors: readonly GraphQLError[] | undefined): void => {
    closeShared(shared);
    const error = errors && combine(errors);
    for (const group of shared.groups.values()) {
      group.queue = group.queue.then(() => {
        for (const client of [...group.clients]) {
          if (error) client.fail(error);
          else client.complete();
        }
      });
    }
  };

  const openShared = (
    key: string,
    planned: PlannedSubscription,
    scope: Scope,
    scopeKey: string,
  ) => {
    const shared: SharedUpstream = { key, scope, scopeKey, groups: new Map() };
    upstreams.set(key, shared);
    const { subgraph, query, operationName, variables } = planned.upstream;
    shared.connection = openUpstream({
      subgraph,
      url: () => options.dataSources.url(subgraph),
      scope,
      query,
      operationName,
      variables,
      scopeSecret: options.scopeSecret,
      scopeTtlMs: options.scopeTtlMs,
      connectTimeoutMs: options.upstreamConnectTimeoutMs,
      keepAliveMs: options.upstreamKeepAliveMs,
      retry: options.upstreamRetry,
      logger,
      onEvent: (event) => dispatch(shared, event),
      onError: (upstreamErrors) => endShared(shared, upstreamErrors),
      onComplete: () => endShared(shared, undefined),
    });
    logger.debug({ subgraph, upstreams: upstreams.size }, 'upstream subscription opened');
    return shared;
  };

  const groupFor = (planned: PlannedSubscription, scope: Scope, scopeKey: string): EventGroup => {
    const key = upstreamKey(planned, scopeKey);
    const shared = upstreams.get(key) ?? openShared(key, planned, scope, scopeKey);
    let group = shared.groups.get(planned.operationKey);
    if (!group) {
      group = { planned, shared, clients: new Set(), queue: Promise.resolve() };
      shared.groups.set(planned.operationKey, group);
    }
    return group;
  };

  const replanGroup = (
    group: EventGroup,
    plan: (request: SubscriptionRequest) => PlanResult,
  ): void => {
    const { shared, planned } = group;
    let result: PlanResult;
    try {
      result = plan({
        query: planned.query,
        operationName: planned.operationName,
        variables: planned.variables,
      });
    } catch (err) {
      logger.error({ err }, 'could not re-plan a subscription after a schema reload');
      result = { ok: false, errors: [internalError('the subscription could not be re-planned')] };
    }
    if (!result.ok) {
      const error = schemaChanged(result.errors.map((e) => e.message).join('; '));
      for (const client of [...group.clients]) client.fail(error);
      return;
    }
    if (upstreamKey(result.planned, shared.scopeKey) === shared.key) {
      group.planned = result.planned;
      return;
    }
    // The root field now plans differently (another subgraph or operation): move upstream.
    if (shared.groups.get(planned.operationKey) === group)
      shared.groups.delete(planned.operationKey);
    const target = groupFor(result.planned, shared.scope, shared.scopeKey);
    for (const client of group.clients) {
      target.clients.add(client);
      membership.set(client, target);
    }
    group.clients.clear();
    if (shared.groups.size === 0) closeShared(shared);
  };

  return {
    subscribe(planned, scope, { socket, id }, onEnd) {
      const group = groupFor(planned, scope, fingerprint(scope));
      const client = new ClientStream(socket, id, options.maxBufferedBytes, () => {
        leave(client);
        onEnd();
      });
      group.clients.add(client);
      membership.set(client, group);
      return client;
    },
    replan(plan) {
      for (const shared of [...upstreams.values()]) {
        for (const group of [...shared.groups.values()]) replanGroup(group, plan);
      }
    },
    close() {
      for (const shared of [...upstreams.values()]) endShared(shared, undefined);
    },
    stats() {
      let groups = 0;
      for (const shared of upstreams.values()) groups += shared.groups.size;
      return { upstreams: upstreams.size, groups, clients: membership.size };
    },
  };
}

/** graphql-ws ends a subscription with one error: keep every message in it. */
function combine(errors: readonly GraphQLError[]): GraphQLError {
  const [first] = errors;
  if (errors.length === 1 && first) return first;
  return new GraphQLError(errors.map((e) => e.message).join('; '), {
    extensions: first?.extensions,
  });
}
