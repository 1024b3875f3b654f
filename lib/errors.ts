import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import type { Logger } from './logger';

/** The error codes clients can rely on. */
export const ErrorCode = {
  /** The HTTP request itself is unusable: a body that is not JSON, or too large. */
  BAD_REQUEST: 'BAD_REQUEST',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  FORBIDDEN: 'FORBIDDEN',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  RATE_LIMITED: 'RATE_LIMITED',
  QUERY_TOO_COMPLEX: 'QUERY_TOO_COMPLEX',
  /** A trusted-document id the gateway's list does not hold. */
  PERSISTED_QUERY_NOT_FOUND: 'PERSISTED_QUERY_NOT_FOUND',
  /** This caller may run only the gateway's trusted documents, and sent another text. */
  TRUSTED_DOCUMENT_REQUIRED: 'TRUSTED_DOCUMENT_REQUIRED',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  /** A live stream may have lost events (pub/sub was down): refetch the current state. */
  EVENTS_MISSED: 'EVENTS_MISSED',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** An argument the caller got wrong: the message says what, `argumentName` says where. */
export function badUserInput(argumentName: string, message: string): GraphQLError {
  return new GraphQLError(`${argumentName}: ${message}`, {
    extensions: { code: ErrorCode.BAD_USER_INPUT, argumentName },
  });
}

/** The caller is known but may not do this; the message says what was missing. */
export function forbidden(message: string): GraphQLError {
  return new GraphQLError(`forbidden: ${message}`, { extensions: { code: ErrorCode.FORBIDDEN } });
}

export function notFound(entity: string, id: string): GraphQLError {
  return new GraphQLError(`${entity} ${id} not found`, {
    extensions: { code: ErrorCode.NOT_FOUND },
  });
}

export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}

/** graphql-js appends `Did you mean "zone", "zones"?` to unknown names: a map of the schema. */
const SUGGESTION = / ?Did you mean .+?\?$/;

export function withoutSuggestions(message: string): string {
  return message.replace(SUGGESTION, '');
}

export interface FormatErrorOptions {
  /** Mask anything without a code as "Internal server error" (production). */
  maskInternal: boolean;
  /**
   * With introspection off, messages must not name fields or types the caller did not write:
   * graphql-js's suggestions are dropped from validation and variable errors alike.
   */
  hideSuggestions?: boolean;
}

/**
 * Expected errors pass through: anything carrying a code other than INTERNAL_SERVER_ERROR, which
 * covers our GraphQLErrors, GraphQL parse and validation errors, and expected errors a subgraph
 * answered with (those reach the gateway with a plain object, not an Error, as `originalError`).
 * Apollo gives every other error INTERNAL_SERVER_ERROR: it is logged with its stack (the line
 * carries the request id when logged while serving a request) and, in production, masked.
 */
export function createFormatError(logger: Logger, options: FormatErrorOptions) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && code !== ErrorCode.INTERNAL_SERVER_ERROR) {
      if (!options.hideSuggestions) return withoutResponse(formatted);
      return withoutResponse({ ...formatted, message: withoutSuggestions(formatted.message) });
    }
    logger.error({ err: unwrapResolverError(error), path: formatted.path }, 'unexpected error');
    if (!options.maskInternal) return formatted;
    return {
      message: 'Internal server error',
      ...(formatted.path ? { path: formatted.path } : {}),
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}

/** A failed subgraph call carries its HTTP response (with the subgraph's internal URL): drop it. */
function withoutResponse(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (!formatted.extensions || !('response' in formatted.extensions)) return formatted;
  const { response: _response, ...extensions } = formatted.extensions;
  return { ...formatted, extensions };
}
