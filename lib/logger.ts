import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { type DestinationStream } from 'pino';
import type { Config } from './config';

export type Logger = pino.Logger;

/** What every log line written while serving one request carries. */
export interface RequestLogContext {
  requestId: string;
}

const requestContext = new AsyncLocalStorage<RequestLogContext>();

/**
 * Runs `fn` (and everything it awaits) as part of a request: every line any logger writes meanwhile
 * carries the request id, including lines of code that never saw the request (error formatting,
 * database errors, data sources).
 */
export function runInRequest<T>(context: RequestLogContext, fn: () => T): T {
  return requestContext.run(context, fn);
}

/** The request being served, if any. */
export function currentRequest(): RequestLogContext | undefined {
  return requestContext.getStore();
}

/**
 * Request ids are echoed to clients and written to logs: only a short id made of letters, digits
 * and `._:-` (UUIDs, W3C trace ids, most proxies' ids) is taken from a client; anything else is
 * replaced by a fresh one.
 */
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,100}$/;

export function acceptRequestId(given: unknown, fresh: () => string): string {
  return typeof given === 'string' && REQUEST_ID_PATTERN.test(given) ? given : fresh();
}

/** Credentials under these names are written as `[redacted]`, wherever a log line puts them. */
const SECRET_FIELDS = [
  'authorization',
  'x-api-key',
  'password',
  'secret',
  'clientSecret',
  'client_secret',
  'token',
  'accessToken',
  'access_token',
  'apiKey',
  'auth',
  'variables',
];
const REDACT_PATHS = SECRET_FIELDS.flatMap((field) => {
  const key = /^[A-Za-z_]\w*$/.test(field) ? `.${field}` : `["${field}"]`;
  return [key.slice(key.startsWith('.') ? 1 : 0), `*${key}`, `*.*${key}`];
});

/**
 * Error fields that quote the data a statement failed on. PostgreSQL's `where` and `detail` (for
 * example "JSON data, line 1: {"value":"..." for a bad jsonb value) and `internalQuery` can hold a
 * credential; `code`, `table`, `column`, `constraint` and `routine` say enough to debug.
 */
const DATA_QUOTING_FIELDS = new Set(['detail', 'where', 'internalQuery', 'hint', 'bindings']);
const MAX_ERROR_DEPTH = 5;

function scrubError(value: unknown, depth: number): unknown {
  if (depth > MAX_ERROR_DEPTH || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => scrubError(item, depth + 1));
  const source =
    value instanceof Error ? (pino.stdSerializers.err(value) as Record<string, unknown>) : value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(source)) {
    if (DATA_QUOTING_FIELDS.has(key)) continue;
    out[key] = scrubError(field, depth + 1);
  }
  return out;
}

/** pino's error serializer, minus the fields that quote data, at any depth (cause, originalError). */
export function serializeError(err: unknown): unknown {
  return scrubError(err, 0);
}

/**
 * One logger per process; units take `logger.child({ subgraph })`, `{ job, runId }`, ... Lines
 * written while serving a request carry its `requestId` (see `runInRequest`); credentials and
 * data-quoting error fields never reach the output.
 */
export function createLogger(
  config: Pick<Config, 'LOG_LEVEL'>,
  base: Record<string, unknown> = {},
  destination?: DestinationStream,
): Logger {
  const options: pino.LoggerOptions = {
    level: config.LOG_LEVEL,
    base: { pid: process.pid, ...base },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: { err: serializeError, error: serializeError },
    mixin(mergeObject, _level, logger) {
      const request = requestContext.getStore();
      if (!request || 'requestId' in mergeObject || 'requestId' in logger.bindings()) return {};
      return { requestId: request.requestId };
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
