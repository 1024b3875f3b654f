import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ORGANISATION_TYPES, PRIVILEGES, type Scope } from './scope';

/** The header the gateway sets and subgraphs verify. Clients can't forge it without the secret. */
export const SCOPE_HEADER = 'x-mobility-scope';
const VERSION = 'v1';

export class ScopeHeaderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScopeHeaderError';
  }
}

const scopeSchema = z.object({
  principal: z.discriminatedUnion('type', [
    z.object({ type: z.literal('ANONYMOUS') }),
    z.object({ type: z.literal('USER'), userId: z.string(), email: z.string() }),
    z.object({ type: z.literal('API_KEY'), apiKeyId: z.string() }),
    z.object({ type: z.literal('SERVICE'), name: z.string() }),
  ]),
  organisationId: z.string().nullable(),
  organisationType: z.enum(ORGANISATION_TYPES).nullable(),
  admin: z.boolean(),
  privileges: z.array(z.enum(PRIVILEGES)),
  municipalities: z.array(z.string()),
  ownMunicipalities: z.array(z.string()),
  operators: z.array(z.string()),
});

const envelopeSchema = z.object({ scope: scopeSchema, iat: z.number(), exp: z.number() });

function mac(secret: string, body: string): Buffer {
  return createHmac('sha256', secret).update(`${VERSION}.${body}`).digest();
}

/** `v1.<base64url JSON {scope, iat, exp}>.<base64url HMAC-SHA256>`, valid for `ttlMs`. */
export function signScope(scope: Scope, secret: string, ttlMs: number, now = Date.now()): string {
  const body = Buffer.from(JSON.stringify({ scope, iat: now, exp: now + ttlMs })).toString(
    'base64url',
  );
  return `${VERSION}.${body}.${mac(secret, body).toString('base64url')}`;
}

/** Verifies signature and expiry; any failure is a ScopeHeaderError saying which. */
export function verifyScope(header: string | undefined, secret: string, now = Date.now()): Scope {
  if (!header) throw new ScopeHeaderError(`missing ${SCOPE_HEADER} header`);
  const [version, body, signature] = header.split('.');
  if (version !== VERSION || !body || !signature) {
    throw new ScopeHeaderError(`malformed ${SCOPE_HEADER} header`);
  }
  const expected = mac(secret, body);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new ScopeHeaderError(`${SCOPE_HEADER} signature does not verify`);
  }
  let envelope: z.infer<typeof envelopeSchema>;
  try {
    envelope = envelopeSchema.parse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
  } catch {
    throw new ScopeHeaderError(`${SCOPE_HEADER} payload is not a scope`);
  }
  if (envelope.exp <= now) throw new ScopeHeaderError(`${SCOPE_HEADER} has expired`);
  return envelope.scope;
}
