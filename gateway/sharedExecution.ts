import {
  HeaderMap,
  type ApolloServerPlugin,
  type GraphQLRequestContext,
  type GraphQLResponse,
} from '@apollo/server';
import { OperationTypeNode, type FormattedExecutionResult } from 'graphql';
import type { GatewayContext } from './dataSource';
import { createInFlight } from './dedup';
import type { ResponseCache } from './responseCache';
import { isPublicScope, scopeKey } from './scopeKey';

/** What one execution answered: shared with callers that join it, or kept in the cache. */
export interface SharedAnswer {
  status: number | undefined;
  result: FormattedExecutionResult;
}

export interface SharedExecutionOptions {
  /** Identical queries in flight at the same time, from the same scope, share one execution. */
  dedup: boolean;
  /** Public-scope query results, until the data changes (responseCache.ts); none: no caching. */
  cache?: ResponseCache<SharedAnswer>;
  /** `Cache-Control: public, max-age=N` on public-scope query results. */
  publicMaxAgeSeconds: number;
}

interface RequestState {
  key: string;
  publicScope: boolean;
  settle?: (answer: SharedAnswer | undefined) => void;
  /** The cache's generation when this request's execution started. */
  generation?: number;
}

type Context = GraphQLRequestContext<GatewayContext>;

/**
 * The key of everything that decides a query's answer: the caller's scope (never shared across
 * scopes), the operation's text and name, and its variables. `JSON.stringify` of the variables as
 * the client sent them: the same variables in another key order make another key (no sharing,
 * never a wrong answer).
 */
function requestKey(context: Context): string {
  const { request, contextValue } = context;
  return `${scopeKey(contextValue.scope)}\n${request.operationName ?? ''}\n${JSON.stringify(request.variables ?? {})}\n${context.source ?? ''}`;
}

function answerOf(context: Context): SharedAnswer | undefined {
  const { body, http } = context.response;
  if (body?.kind !== 'single') return undefined;
  return { status: http.status, result: body.singleResult };
}

function responseOf(answer: SharedAnswer): GraphQLResponse {
  return {
    http: { status: answer.status, headers: new HeaderMap() },
    body: { kind: 'single', singleResult: answer.result },
  };
}

/**
 * Shares executions between callers of the same scope: identical queries in flight at once run
 * once (every caller is still authenticated, rate-limited and checked against the query limits on
 * its own; only the execution is shared), and public-scope results are served from the cache
 * until an event says the data changed. Mutations and subscriptions are never shared.
 *
 * Scoped (signed-in) answers carry `Cache-Control: private, no-store`; public query results
 * `public, max-age=N`, so a CDN or browser may keep them briefly.
 */
export function sharedExecutionPlugin(
  options: SharedExecutionOptions,
): ApolloServerPlugin<GatewayContext> {
  const inFlight = createInFlight<SharedAnswer>();
  const states = new WeakMap<Context, RequestState>();
  const settle = (context: Context, answer: SharedAnswer | undefined): void => {
    states.get(context)?.settle?.(answer);
  };

  return {
    unexpectedErrorProcessingRequest({ requestContext }) {
      settle(requestContext, undefined);
      return Promise.resolve();
    },
    requestDidStart() {
      return Promise.resolve({
        async responseForOperation(context) {
          if (context.operation?.operation !== OperationTypeNode.QUERY) return null;
          const publicScope = isPublicScope(context.contextValue.scope);
          const key = requestKey(context);
          const state: RequestState = { key, publicScope };
          states.set(context, state);
          const cache = publicScope ? options.cache : undefined;
          const cached = cache?.get(key);
          if (cached) return responseOf(cached);
          if (options.dedup) {
            const running = inFlight.join(key);
            if (running) {
              const answer = await running;
              // The leader answered nothing shareable (it failed unexpectedly): execute alone.
              if (answer) return responseOf(answer);
              return null;
            }
            state.settle = inFlight.lead(key);
          }
          state.generation = cache?.generation();
          return null;
        },
        willSendResponse(context) {
          const state = states.get(context);
          const answer = answerOf(context);
          settle(context, answer);
          if (context.operation?.operation !== OperationTypeNode.QUERY || !state) {
            if (context.operation?.operation === OperationTypeNode.MUTATION) {
              context.response.http.headers.set('cache-control', 'private, no-store');
            }
            return Promise.resolve();
          }
          const clean = answer !== undefined && !answer.result.errors?.length;
          if (!state.publicScope) {
            context.response.http.headers.set('cache-control', 'private, no-store');
          } else if (clean) {
            context.response.http.headers.set(
              'cache-control',
              `public, max-age=${options.publicMaxAgeSeconds}`,
            );
            if (state.generation !== undefined)
              options.cache?.set(state.key, answer, state.generation);
          }
          return Promise.resolve();
        },
      });
    },
  };
}
