import { assertNever } from '../errors';
import { httpRequest, type HttpResponse } from './http';
import type { ListedBody, ReadMemo } from './listMemo';
import { feedProblem } from './problem';
import type { TokenCache } from './tokenCache';
import type { FeedAuth } from './types';

/**
 * Milliseconds one read spent on its documents, summed: `fetchMs` from request to the last byte,
 * `parseMs` in JSON.parse. The rest of a read is validation, record checks and normalising.
 */
export interface ReadStages {
  fetchMs: number;
  parseMs: number;
}

/** What every request of one feed read shares: one deadline, one size limit, the credentials. */
export interface ReadContext {
  signal: AbortSignal;
  timeoutMs: number;
  maxBytes: number;
  auth: FeedAuth;
  tokens: TokenCache;
  stages?: ReadStages;
  /** The feed's records of earlier reads: large lists are read record by record (ListMemo). */
  memo?: ReadMemo;
}

/** A list read record by record: the memo's name and where the list is in the document. */
export interface ListRead {
  name: string;
  keys: readonly string[];
}

export const GBFS_ACCEPT = 'application/json';
export const MDS_ACCEPT = 'application/vnd.mds+json;version=2.0, application/json;q=0.9';

export interface JsonDocument {
  url: string;
  status: number;
  body: unknown;
  /** Set when the body was put together by a ListMemo. */
  listed?: ListedBody;
}

async function credentials(context: ReadContext): Promise<Record<string, string>> {
  const { auth } = context;
  switch (auth.type) {
    case 'NONE':
      return {};
    case 'HEADER':
      return { [auth.header]: auth.value };
    case 'OAUTH2_CLIENT_CREDENTIALS':
      return {
        authorization: `Bearer ${await context.tokens.token(auth, context)}`,
      };
    default:
      return assertNever(auth);
  }
}

async function request(context: ReadContext, url: string, accept: string): Promise<HttpResponse> {
  return httpRequest({
    url,
    headers: { accept },
    credentials: await credentials(context),
    signal: context.signal,
    timeoutMs: context.timeoutMs,
    maxBytes: context.maxBytes,
  });
}

/** `Unexpected token } in JSON at position 120` with the text around it, for the feed-health line. */
function describeJsonError(err: unknown, text: string): string {
  const message = err instanceof Error ? err.message : String(err);
  if (text.trim() === '') return 'the response body is empty';
  const position = /position (\d+)/.exec(message);
  if (!position?.[1]) return `the response is not JSON: ${message}`;
  const at = Number(position[1]);
  const excerpt = JSON.stringify(text.slice(Math.max(0, at - 20), at + 20));
  return `the response is not JSON: ${message} (near ${excerpt})`;
}

/**
 * GETs one JSON document of a feed: credentials per the feed's auth (an OAuth2 token the feed
 * refuses is renewed once), 401/403 -> AUTH, other non-2xx -> HTTP_STATUS, unparsable -> INVALID_JSON.
 * With `acceptPending`, a 202 (MDS /trips: "not processed yet") is returned with a null body.
 */
export async function fetchJson(
  context: ReadContext,
  url: string,
  accept: string,
  options: { acceptPending?: boolean; list?: ListRead } = {},
): Promise<JsonDocument> {
  const fetchStarted = performance.now();
  let response = await request(context, url, accept);
  if (response.status === 401 && context.auth.type === 'OAUTH2_CLIENT_CREDENTIALS') {
    context.tokens.invalidate(context.auth);
    response = await request(context, url, accept);
  }
  const parseStarted = performance.now();
  if (context.stages) context.stages.fetchMs += parseStarted - fetchStarted;
  if (response.status === 401 || response.status === 403) {
    throw feedProblem(
      'AUTH',
      response.url,
      `the feed refused the credentials (HTTP ${response.status})`,
      null,
      response.status,
    );
  }
  if (response.status < 200 || response.status > 299) {
    throw feedProblem(
      'HTTP_STATUS',
      response.url,
      `the feed answered HTTP ${response.status}`,
      null,
      response.status,
    );
  }
  if (response.status === 202 && options.acceptPending) {
    return { url: response.url, status: response.status, body: null };
  }
  const memo = options.list && context.memo?.list(options.list.name);
  const listed = options.list && memo ? memo.read(response.bytes, options.list.keys) : null;
  if (listed) {
    if (context.stages) context.stages.parseMs += performance.now() - parseStarted;
    return { url: response.url, status: response.status, body: listed.body, listed };
  }
  const text = response.text;
  try {
    return { url: response.url, status: response.status, body: JSON.parse(text) };
  } catch (err) {
    throw feedProblem('INVALID_JSON', response.url, describeJsonError(err, text));
  } finally {
    if (context.stages) context.stages.parseMs += performance.now() - parseStarted;
  }
}
