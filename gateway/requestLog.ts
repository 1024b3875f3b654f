import { randomUUID } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestHandler, Response } from 'express';
import type { Principal } from '../lib/auth/scope';
import { acceptRequestId, runInRequest, type Logger } from '../lib/logger';

export const REQUEST_ID_HEADER = 'x-request-id';

/** What the access log line of one request says; filled in as the request goes along. */
export interface AccessRecord {
  requestId: string;
  operationName?: string;
  operationType?: string;
  caller?: Principal['type'];
}

/** The access record of a request, set by `trackRequests`. */
export function accessRecord(res: Response): AccessRecord {
  const record = (res.locals as { access?: AccessRecord }).access;
  if (!record) throw new Error('trackRequests must run before this handler');
  return record;
}

/**
 * First middleware of a GraphQL request: takes the client's `x-request-id` if it is a plausible id
 * (else makes one), echoes it, and writes one access line when the response is finished: request
 * id, operation name and type, caller kind, HTTP status and duration. Never the variables.
 */
export function trackRequests(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const record: AccessRecord = {
      requestId: acceptRequestId(req.headers[REQUEST_ID_HEADER], randomUUID),
    };
    (res.locals as { access?: AccessRecord }).access = record;
    res.setHeader(REQUEST_ID_HEADER, record.requestId);
    res.once('finish', () => {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info(
        {
          requestId: record.requestId,
          method: req.method,
          status: res.statusCode,
          durationMs: Math.round(durationMs * 10) / 10,
          operationName: record.operationName ?? null,
          operationType: record.operationType ?? null,
          caller: record.caller ?? 'ANONYMOUS',
        },
        'request',
      );
    });
    next();
  };
}

/**
 * Runs the rest of the request (after body parsing, whose stream events would lose it) inside the
 * request's log context: every line logged while serving it carries the request id.
 */
export function enterRequestContext(): RequestHandler {
  return (_req, res, next) => {
    runInRequest({ requestId: accessRecord(res).requestId }, next);
  };
}

/** Notes the operation the request ran, for the access line. */
export function accessLogPlugin<
  TContext extends { access: AccessRecord },
>(): ApolloServerPlugin<TContext> {
  return {
    requestDidStart: () =>
      Promise.resolve({
        didResolveOperation: ({ contextValue, operationName, operation }) => {
          if (operationName) contextValue.access.operationName = operationName;
          if (operation) contextValue.access.operationType = operation.operation;
          return Promise.resolve();
        },
      }),
  };
}
