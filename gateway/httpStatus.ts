import type { ApolloServerPlugin } from '@apollo/server';
import { ErrorCode } from '../lib/errors';

/** Request errors a client can fix: the document does not parse or validate, or bad arguments. */
const REQUEST_ERROR_CODES = new Set<unknown>([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  ErrorCode.BAD_USER_INPUT,
]);

/**
 * The GraphQL-over-HTTP spec: a client that accepts `application/json` (the legacy media type)
 * gets 200 for a request that fails to parse, validate or coerce its variables, with the errors
 * in the body; only a client asking for `application/graphql-response+json` gets 400. Apollo
 * Server answers 400 in both cases.
 */
export function httpStatusPlugin(): ApolloServerPlugin {
  return {
    requestDidStart: () =>
      Promise.resolve({
        willSendResponse({ request, response }) {
          const { body, http } = response;
          if (http.status !== 400 || body.kind !== 'single') return Promise.resolve();
          const accept = request.http?.headers.get('accept') ?? '';
          if (accept.includes('application/graphql-response+json')) return Promise.resolve();
          const { data, errors } = body.singleResult;
          const requestErrors =
            data === undefined &&
            errors !== undefined &&
            errors.length > 0 &&
            errors.every((error) => REQUEST_ERROR_CODES.has(error.extensions?.code));
          if (requestErrors) http.status = 200;
          return Promise.resolve();
        },
      }),
  };
}
