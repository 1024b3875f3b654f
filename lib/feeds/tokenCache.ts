import { MINUTE, SECOND } from '../units';
import { httpRequest } from './http';
import { feedProblem } from './problem';
import type { FeedAuth } from './types';

export type OAuth2ClientCredentials = Extract<FeedAuth, { type: 'OAUTH2_CLIENT_CREDENTIALS' }>;

/** A token without `expires_in` is kept this long (or until the feed refuses it). */
export const DEFAULT_TOKEN_LIFETIME_MS = 10 * MINUTE;
/** Tokens are renewed up to this long before they expire, so a read never starts with a dying token. */
const MAX_EXPIRY_MARGIN_MS = 30 * SECOND;
const MAX_TOKEN_RESPONSE_BYTES = 64 * 1024;

interface CachedToken {
  accessToken: string;
  renewAtMs: number;
}

export interface TokenRequestContext {
  signal: AbortSignal;
  timeoutMs: number;
}

function cacheKey(auth: OAuth2ClientCredentials): string {
  return JSON.stringify([auth.tokenUrl, auth.clientId, auth.scope ?? '']);
}

/**
 * The endpoint's own words, minus the secret: a token endpoint may quote what it was sent, and
 * this text goes to the log and to the feed's health.
 */
function describeRefusal(status: number, text: string, secrets: string[]): string {
  try {
    const body = JSON.parse(text) as { error?: unknown; error_description?: unknown };
    const detail = [body.error, body.error_description].filter((v) => typeof v === 'string');
    const scrubbed = secrets.reduce(
      (said, secret) => said.replaceAll(secret, '***'),
      detail.join(': '),
    );
    if (detail.length > 0) return `${status} (${scrubbed})`;
  } catch {
    // not JSON: the status alone says enough
  }
  return String(status);
}

/**
 * OAuth2 client-credentials tokens (RFC 6749 §4.4), shared by all reads: one token per token URL,
 * client and scope, reused until shortly before it expires. Concurrent reads that need the same
 * token wait for one request to the token endpoint.
 */
export class TokenCache {
  private readonly tokens = new Map<string, CachedToken>();
  private readonly pending = new Map<string, Promise<CachedToken>>();
  private requestCount = 0;

  constructor(private readonly nowMs: () => number = Date.now) {}

  /** How many tokens were requested from token endpoints (for health and tests). */
  get requests(): number {
    return this.requestCount;
  }

  async token(auth: OAuth2ClientCredentials, context: TokenRequestContext): Promise<string> {
    const key = cacheKey(auth);
    const cached = this.tokens.get(key);
    if (cached && cached.renewAtMs > this.nowMs()) return cached.accessToken;
    let request = this.pending.get(key);
    if (!request) {
      request = this.requestToken(auth, context).finally(() => this.pending.delete(key));
      this.pending.set(key, request);
    }
    const fresh = await request;
    this.tokens.set(key, fresh);
    return fresh.accessToken;
  }

  /** Forget a token the feed refused, so the next read asks for a new one. */
  invalidate(auth: OAuth2ClientCredentials): void {
    this.tokens.delete(cacheKey(auth));
  }

  private async requestToken(
    auth: OAuth2ClientCredentials,
    context: TokenRequestContext,
  ): Promise<CachedToken> {
    this.requestCount += 1;
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (auth.scope) form.set('scope', auth.scope);
    const basic = Buffer.from(
      `${encodeURIComponent(auth.clientId)}:${encodeURIComponent(auth.clientSecret)}`,
    ).toString('base64');
    const response = await httpRequest({
      url: auth.tokenUrl,
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      credentials: { authorization: `Basic ${basic}` },
      body: form.toString(),
      signal: context.signal,
      timeoutMs: context.timeoutMs,
      maxBytes: MAX_TOKEN_RESPONSE_BYTES,
    });
    if (response.status < 200 || response.status > 299) {
      throw feedProblem(
        'AUTH',
        auth.tokenUrl,
        `the token endpoint refused the client credentials of "${auth.clientId}": HTTP ${describeRefusal(response.status, response.text, [basic, auth.clientSecret, encodeURIComponent(auth.clientSecret)])}`,
        null,
        response.status,
      );
    }
    let body: { access_token?: unknown; expires_in?: unknown };
    try {
      body = JSON.parse(response.text) as typeof body;
    } catch {
      throw feedProblem('AUTH', auth.tokenUrl, 'the token endpoint did not answer with JSON');
    }
    if (typeof body.access_token !== 'string' || body.access_token === '') {
      throw feedProblem(
        'AUTH',
        auth.tokenUrl,
        'the token endpoint answered without an access_token',
      );
    }
    const lifetimeMs =
      typeof body.expires_in === 'number' && body.expires_in > 0
        ? body.expires_in * SECOND
        : DEFAULT_TOKEN_LIFETIME_MS;
    const marginMs = Math.min(MAX_EXPIRY_MARGIN_MS, lifetimeMs / 10);
    return { accessToken: body.access_token, renewAtMs: this.nowMs() + lifetimeMs - marginMs };
  }
}
