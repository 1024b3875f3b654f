import { isUtf8 } from 'node:buffer';
import { FeedProblem, feedProblem } from './problem';

/** How many redirects one request may follow before it counts as a loop. */
export const MAX_REDIRECTS = 5;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const USER_AGENT = 'mobility-supergraph-importer/0.1';

export interface HttpRequest {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** Headers sent only to the first URL's origin (credentials never follow a redirect elsewhere). */
  credentials?: Record<string, string>;
  body?: string;
  /** Aborts the request and the body read; a timeout signal gives TIMEOUT. */
  signal: AbortSignal;
  /** The timeout behind `signal`, for the message. */
  timeoutMs: number;
  maxBytes: number;
}

export interface HttpResponse {
  status: number;
  /** The URL that answered, after redirects. */
  url: string;
  headers: Headers;
  /** The body, checked to be UTF-8 (a leading byte order mark is part of it). */
  bytes: Buffer;
  /** The body decoded (without a byte order mark), on each access. */
  readonly text: string;
}

/** Where the text of a UTF-8 body starts: after a byte order mark, as TextDecoder reads it. */
export function textStart(bytes: Uint8Array): number {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
}

function answered(status: number, url: string, headers: Headers, bytes: Buffer): HttpResponse {
  return {
    status,
    url,
    headers,
    bytes,
    get text() {
      return bytes.toString('utf8', textStart(bytes));
    },
  };
}

/** Errors from Node's fetch may come from another realm (jest's vm): judge them by shape. */
function field(value: unknown, key: 'name' | 'message' | 'code' | 'cause'): unknown {
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

function isTimeout(err: unknown, signal: AbortSignal): boolean {
  return (
    field(err, 'name') === 'TimeoutError' ||
    (signal.aborted && field(signal.reason, 'name') === 'TimeoutError')
  );
}

/** `ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:4010` rather than undici's "fetch failed". */
function describeNetworkError(err: unknown): string {
  const cause = field(err, 'cause');
  const source = typeof field(cause, 'message') === 'string' ? cause : err;
  const message = field(source, 'message');
  const code = field(source, 'code');
  const text = typeof message === 'string' ? message : String(source);
  return typeof code === 'string' && !text.includes(code) ? `${code}: ${text}` : text;
}

function failure(err: unknown, url: string, request: HttpRequest, reading: boolean): Error {
  if (isTimeout(err, request.signal)) {
    const within = `within ${request.timeoutMs} ms`;
    return feedProblem(
      'TIMEOUT',
      url,
      reading ? `the response body did not arrive ${within}` : `no response ${within}`,
    );
  }
  const what = reading ? 'the connection failed while reading the body' : 'request failed';
  return feedProblem('NETWORK', url, `${what}: ${describeNetworkError(err)}`);
}

/**
 * Reads the body as a stream and stops as soon as it passes `maxBytes`, so an oversized body is
 * never held in memory. A declared Content-Length over the limit is refused before reading.
 */
async function readLimited(response: Response, url: string, request: HttpRequest): Promise<Buffer> {
  const { maxBytes } = request;
  const tooLarge = () =>
    feedProblem('TOO_LARGE', url, `the response is larger than the limit of ${maxBytes} bytes`);
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (!response.body) return Buffer.alloc(0);
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge();
      }
      chunks.push(value);
    }
  } catch (err) {
    if (err instanceof FeedProblem) throw err;
    throw failure(err, url, request, true);
  }
  // Checked here, decoded only where text is needed: most of a large feed is read as bytes.
  const bytes = Buffer.concat(chunks, total);
  if (!isUtf8(bytes))
    throw feedProblem('INVALID_JSON', url, 'the response body is not valid UTF-8');
  return bytes;
}

/**
 * One HTTP exchange with Node's fetch: redirects are followed by hand (at most MAX_REDIRECTS, a
 * repeated URL is a loop), the body is read with a byte limit, and every failure is a FeedProblem
 * (TIMEOUT, NETWORK, REDIRECT_LOOP, TOO_LARGE). Any status is returned; callers judge it.
 */
export async function httpRequest(request: HttpRequest): Promise<HttpResponse> {
  const { signal } = request;
  let origin: string;
  try {
    const parsed = new URL(request.url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('not http(s)');
    origin = parsed.origin;
  } catch {
    throw feedProblem('NETWORK', request.url, `"${request.url}" is not an http(s) URL`);
  }
  const visited = new Set<string>();
  let url = request.url;
  let method = request.method ?? 'GET';
  let body = request.body;
  for (;;) {
    visited.add(url);
    const sameOrigin = new URL(url).origin === origin;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          'user-agent': USER_AGENT,
          ...request.headers,
          ...(sameOrigin ? request.credentials : {}),
        },
        body,
        redirect: 'manual',
        signal,
      });
    } catch (err) {
      throw failure(err, url, request, false);
    }
    const location = response.headers.get('location');
    if (!REDIRECT_STATUSES.has(response.status) || location === null) {
      return answered(
        response.status,
        url,
        response.headers,
        await readLimited(response, url, request),
      );
    }
    await response.body?.cancel().catch(() => undefined);
    const next = new URL(location, url).toString();
    if (visited.has(next)) {
      throw feedProblem(
        'REDIRECT_LOOP',
        request.url,
        `redirect loop: ${url} redirects back to ${next}`,
        null,
        response.status,
      );
    }
    if (visited.size > MAX_REDIRECTS) {
      throw feedProblem(
        'REDIRECT_LOOP',
        request.url,
        `more than ${MAX_REDIRECTS} redirects (last to ${next})`,
        null,
        response.status,
      );
    }
    if (
      response.status === 303 ||
      ((response.status === 301 || response.status === 302) && method === 'POST')
    ) {
      method = 'GET';
      body = undefined;
    }
    url = next;
  }
}
