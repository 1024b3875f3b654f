import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { RequestHandler } from 'express';
import { GraphQLError } from 'graphql';
import type { Scope } from '../lib/auth/scope';
import { ErrorCode } from '../lib/errors';

/**
 * Trusted documents (persisted operations): a list of operations, each known by the SHA-256 of its
 * text, that callers send by id instead of by text. With `TRUSTED_DOCUMENTS_REQUIRED_FOR` the
 * gateway runs nothing else for those callers: a third party can then only ever run the operations
 * it registered, however it changes its requests.
 */
export interface TrustedDocuments {
  /** The operation text with this id (`sha256:<hex>` or `<hex>`), if the list has it. */
  text(id: string): string | undefined;
  /** Whether `text` is exactly one of the list's operations. */
  isTrusted(text: string): boolean;
  size: number;
}

/** Who must send trusted documents: API-key and anonymous callers, everyone, or no one. */
export type TrustedDocumentsRequiredFor = 'third-parties' | 'everyone' | 'none';

const HEX_ID = /^(?:sha256:)?([0-9a-f]{64})$/;

interface ManifestOperation {
  id?: unknown;
  body?: unknown;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * Reads a trusted-documents file: Apollo's persisted query manifest (`{"format":
 * "apollo-persisted-query-manifest", "version": 1, "operations": [{"id", "body", ...}]}`), or a
 * plain object of id -> text (GraphQL Code Generator's `persisted-documents.json`). Every id must
 * be the SHA-256 of its text (hex, `sha256:` prefix allowed), so that an id names one text only;
 * a file that breaks this is refused with the entry named.
 */
export function loadTrustedDocuments(path: string): TrustedDocuments {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(
      `TRUSTED_DOCUMENTS ${path}: not a readable JSON file (${(err as Error).message})`,
    );
  }
  const entries = manifestEntries(parsed, path);
  const byHash = new Map<string, string>();
  entries.forEach(([id, body], index) => {
    const where = `TRUSTED_DOCUMENTS ${path}, entry ${index + 1}`;
    if (typeof id !== 'string' || typeof body !== 'string')
      throw new Error(`${where}: needs a string id and a string body`);
    const hash = HEX_ID.exec(id)?.[1];
    if (!hash) throw new Error(`${where}: id "${id}" is not a SHA-256 in hex`);
    if (sha256(body) !== hash)
      throw new Error(`${where}: id "${id}" is not the SHA-256 of its body (${sha256(body)})`);
    byHash.set(hash, body);
  });
  const texts = new Set(byHash.values());
  return {
    text: (id) => {
      const hash = HEX_ID.exec(id)?.[1];
      return hash === undefined ? undefined : byHash.get(hash);
    },
    isTrusted: (text) => texts.has(text),
    size: byHash.size,
  };
}

function manifestEntries(parsed: unknown, path: string): [unknown, unknown][] {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error(`TRUSTED_DOCUMENTS ${path}: expected a JSON object`);
  const record = parsed as Record<string, unknown>;
  if (record.format === 'apollo-persisted-query-manifest') {
    if (record.version !== 1 || !Array.isArray(record.operations))
      throw new Error(`TRUSTED_DOCUMENTS ${path}: expected manifest version 1 with "operations"`);
    return (record.operations as ManifestOperation[]).map((op) => [op.id, op.body]);
  }
  return Object.entries(record);
}

/** The id a request names instead of a text: `documentId`, or Apollo's persisted-query hash. */
function requestedId(body: Record<string, unknown>): string | undefined {
  if (typeof body.documentId === 'string') return body.documentId;
  const extensions = body.extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined;
  const hash = extensions?.persistedQuery?.sha256Hash;
  return typeof hash === 'string' ? hash : undefined;
}

const refusal = (message: string, code: ErrorCode, status: number): GraphQLError =>
  new GraphQLError(message, { extensions: { code, http: { status } } });

const unknownDocument = (id: string): GraphQLError =>
  refusal(
    `unknown trusted document "${id}": this gateway runs only the operations in its trusted-documents list (TRUSTED_DOCUMENTS); send the id of one of them`,
    ErrorCode.PERSISTED_QUERY_NOT_FOUND,
    400,
  );

/**
 * Before Apollo reads a POST body: a request that names a document by id (`documentId`, or
 * `extensions.persistedQuery.sha256Hash` without a `query`) gets the list's text as its `query`;
 * an id the list lacks is answered 400 with the id named.
 */
export function resolveDocumentIds(documents: TrustedDocuments): RequestHandler {
  return (req, res, next) => {
    const body = req.body as unknown;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      next();
      return;
    }
    const record = body as Record<string, unknown>;
    const id = requestedId(record);
    if (id === undefined || (record.query !== undefined && record.documentId === undefined)) {
      next();
      return;
    }
    const text = documents.text(id);
    if (text === undefined) {
      const error = unknownDocument(id);
      res.status(400).json({
        errors: [{ message: error.message, extensions: { code: error.extensions.code } }],
      });
      return;
    }
    record.query = text;
    delete record.documentId;
    next();
  };
}

const isThirdParty = (scope: Scope): boolean =>
  scope.principal.type === 'API_KEY' || scope.principal.type === 'ANONYMOUS';

/**
 * Throws when this caller must use trusted documents and `query` is not one of them (checked once
 * the caller is known, before anything is parsed).
 */
export function requireTrustedDocument(
  documents: TrustedDocuments,
  requiredFor: TrustedDocumentsRequiredFor,
  scope: Scope,
  query: unknown,
): void {
  if (requiredFor === 'none' || (requiredFor === 'third-parties' && !isThirdParty(scope))) return;
  if (typeof query === 'string' && documents.isTrusted(query)) return;
  throw refusal(
    `this gateway runs only trusted documents for ${requiredFor === 'everyone' ? 'every caller' : 'API-key and anonymous callers'}: send "documentId": "sha256:<hash>" of an operation in its list (TRUSTED_DOCUMENTS), not an operation's text`,
    ErrorCode.TRUSTED_DOCUMENT_REQUIRED,
    403,
  );
}

/**
 * A subscription over WebSocket, held to the same rules as a POST. graphql-ws needs a `query`
 * string, so a client sending an id sends `query: ""` with `documentId` (or the persisted-query
 * hash in `extensions`); the list's text takes its place. Returns the payload to run, or throws
 * the refusal (an unknown id, or text from a caller held to the list).
 */
export function trustedSubscription<P extends { query: string }>(
  trusted: { documents: TrustedDocuments; requiredFor: TrustedDocumentsRequiredFor },
  payload: P,
  scope: Scope,
): P {
  const record = payload as unknown as Record<string, unknown>;
  const id = requestedId(record);
  let { query } = payload;
  if (id !== undefined && (query === '' || record.documentId !== undefined)) {
    const text = trusted.documents.text(id);
    if (text === undefined) throw unknownDocument(id);
    query = text;
  }
  requireTrustedDocument(trusted.documents, trusted.requiredFor, scope, query);
  return { ...payload, query };
}
