import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { exportJWK, SignJWT } from 'jose';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { PUBLIC_SCOPE, serviceScope } from '../../lib/auth/scope';
import { SCOPE_HEADER, signScope } from '../../lib/auth/scopeHeader';
import { listen } from '../../lib/http';
import { graphqlRequest } from '../../test/graphql';
import { scopeHeaders, TEST_SCOPE_SECRET } from '../../test/scope';
import { startTestStack, type TestStack } from '../../test/stack';
import { seedIdentities } from '../../seeds/identities';
import { createJwtVerifier } from '../auth/jwt';

const ISSUER = 'https://id.example.test';
const AUDIENCE = 'mobility-test';
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const otherRsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const rsaPublicPem = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({
    jwt: { publicKeyPem: rsaPublicPem, issuer: ISSUER, audience: AUDIENCE, algorithms: ['RS256'] },
  });
  await seedIdentities(stack.database.db, [
    {
      name: 'Amsterdam',
      type: 'MUNICIPALITY',
      municipalityCodes: ['GM0363'],
      operatorIds: [],
      users: [{ email: 'ams@t.nl', privileges: [] }],
    },
  ]);
});

afterAll(async () => {
  await stack?.stop();
});

interface TokenOptions {
  key?: KeyObject | Uint8Array;
  alg?: string;
  issuer?: string;
  audience?: string;
  /** null: no `exp` claim at all. */
  expiresIn?: string | number | null;
  notBefore?: string | number;
  email?: string;
}

function sign(options: TokenOptions = {}): Promise<string> {
  const jwt = new SignJWT({ email: options.email ?? 'ams@t.nl' })
    .setProtectedHeader({ alg: options.alg ?? 'RS256' })
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? AUDIENCE)
    .setIssuedAt();
  if (options.expiresIn !== null) jwt.setExpirationTime(options.expiresIn ?? '10m');
  if (options.notBefore !== undefined) jwt.setNotBefore(options.notBefore);
  return jwt.sign(options.key ?? rsa.privateKey);
}

async function asBearer(token: string) {
  const response = await fetch(stack.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: '{ me { principalType municipalityCodes } }' }),
  });
  const body = (await response.json()) as {
    data?: unknown;
    errors?: { message: string; extensions?: { code?: string } }[];
  };
  return { status: response.status, body };
}

async function expectRefused(token: string, message: string): Promise<void> {
  const { status, body } = await asBearer(token);
  expect(status).toBe(401);
  expect(body.errors?.[0]).toMatchObject({
    message: `unauthenticated: ${message}`,
    extensions: { code: 'UNAUTHENTICATED' },
  });
  expect(body.data).toBeUndefined();
}

describe('bearer tokens', () => {
  it('accepts a valid RS256 token and resolves its scope', async () => {
    const { status, body } = await asBearer(await sign());
    expect(status).toBe(200);
    expect(body).toEqual({
      data: { me: { principalType: 'USER', municipalityCodes: ['GM0363'] } },
    });
  });

  it('refuses a token signed by another key', async () => {
    await expectRefused(
      await sign({ key: otherRsa.privateKey }),
      'token signature does not verify',
    );
  });

  it('refuses an expired token', async () => {
    await expectRefused(
      await sign({ expiresIn: Math.floor(Date.now() / 1000) - 60 }),
      'token expired',
    );
  });

  it('refuses a token without exp, and one that lives longer than the maximum', async () => {
    await expectRefused(await sign({ expiresIn: null }), 'token has no expiry (exp claim)');
    await expectRefused(
      await sign({ expiresIn: '25h' }),
      'token lifetime exceeds the maximum of 86400 s (JWT_MAX_LIFETIME_SECONDS)',
    );
    const { status } = await asBearer(await sign({ expiresIn: '23h' }));
    expect(status).toBe(200);
  });

  it('accepts tokens without exp only when the maximum lifetime is disabled', async () => {
    const options = { publicKeyPem: rsaPublicPem, issuer: ISSUER, audience: AUDIENCE };
    const token = await sign({ expiresIn: null });
    const lenient = await createJwtVerifier({ ...options, maxLifetimeSeconds: 0 });
    await expect(lenient!(token)).resolves.toMatchObject({ email: 'ams@t.nl' });
    const strict = await createJwtVerifier({ ...options, maxLifetimeSeconds: 60 });
    await expect(strict!(await sign({ expiresIn: '2m' }))).rejects.toThrow(
      'token lifetime exceeds the maximum of 60 s',
    );
  });

  it('refuses a token that is not valid yet', async () => {
    await expectRefused(
      await sign({ notBefore: Math.floor(Date.now() / 1000) + 600 }),
      'token is not valid yet (nbf)',
    );
  });

  it('refuses the wrong issuer and the wrong audience', async () => {
    await expectRefused(
      await sign({ issuer: 'https://evil.example' }),
      'token issuer is not accepted',
    );
    await expectRefused(await sign({ audience: 'someone-else' }), 'token audience is not accepted');
  });

  it('refuses alg none', async () => {
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const unsigned = `${encode({ alg: 'none', typ: 'JWT' })}.${encode({
      email: 'ams@t.nl',
      iss: ISSUER,
      aud: AUDIENCE,
      exp: Math.floor(Date.now() / 1000) + 600,
    })}.`;
    await expectRefused(unsigned, 'token algorithm is not allowed');
  });

  it('refuses an HS256 token "signed" with the RSA public key (algorithm confusion)', async () => {
    const confused = await sign({ alg: 'HS256', key: new TextEncoder().encode(rsaPublicPem) });
    await expectRefused(confused, 'token algorithm is not allowed');
  });

  it('refuses a token for an unknown or deactivated user', async () => {
    await expectRefused(
      await sign({ email: 'nobody@t.nl' }),
      'no active user with email nobody@t.nl',
    );
  });

  it('refuses a malformed Authorization header and mixed credentials', async () => {
    const result = await graphqlRequest(
      stack.url,
      '{ me { principalType } }',
      {},
      { authorization: 'Token abc' },
    );
    expect(result.errors?.[0]?.message).toBe(
      'unauthenticated: the Authorization header must be "Bearer <token>"',
    );
    const both = await graphqlRequest(
      stack.url,
      '{ me { principalType } }',
      {},
      {
        authorization: `Bearer ${await sign()}`,
        'x-api-key': 'mk_x',
      },
    );
    expect(both.errors?.[0]?.message).toBe(
      'unauthenticated: send a bearer token or an API key, not both',
    );
  });
});

describe('JWKS', () => {
  let jwksServer: Server;
  let jwksUrl: string;
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });

  beforeAll(async () => {
    const jwk = { ...(await exportJWK(ec.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    jwksServer = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    jwksUrl = `http://127.0.0.1:${await listen(jwksServer, 0, '127.0.0.1')}/jwks.json`;
  });

  afterAll(() => new Promise((resolve) => jwksServer.close(resolve)));

  it('verifies ES256 tokens against a JWKS URL and refuses keys not in it', async () => {
    const verify = await createJwtVerifier({ jwksUrl, issuer: ISSUER, audience: AUDIENCE });
    const token = await new SignJWT({ email: 'ams@t.nl' })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime('5m')
      .sign(ec.privateKey);
    await expect(verify!(token)).resolves.toMatchObject({ email: 'ams@t.nl' });
    const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const forged = await new SignJWT({ email: 'ams@t.nl' })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime('5m')
      .sign(stranger.privateKey);
    await expect(verify!(forged)).rejects.toThrow('token signature does not verify');
  });
});

describe('subgraphs reached directly', () => {
  const query = JSON.stringify({ query: '{ me { principalType admin } }' });

  const post = async (headers: Record<string, string>) => {
    const response = await fetch(stack.subgraphUrls.users!, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: query,
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('gives nothing without the signed scope header', async () => {
    const { status, body } = await post({});
    expect(status).toBe(401);
    expect(body.data).toBeUndefined();
    expect(JSON.stringify(body)).toContain(`missing ${SCOPE_HEADER} header`);
  });

  it('rejects a tampered, a wrongly signed and an expired header', async () => {
    const genuine = signScope(PUBLIC_SCOPE, TEST_SCOPE_SECRET, 60_000);
    const [version, , signature] = genuine.split('.');
    const widened = Buffer.from(
      JSON.stringify({
        scope: serviceScope('attacker'),
        iat: Date.now(),
        exp: Date.now() + 60_000,
      }),
    ).toString('base64url');
    for (const header of [
      `${version}.${widened}.${signature}`,
      signScope(serviceScope('attacker'), 'not-the-secret-0123456789abcdef0123', 60_000),
      signScope(PUBLIC_SCOPE, TEST_SCOPE_SECRET, 60_000, Date.now() - 120_000),
    ]) {
      const { status, body } = await post({ [SCOPE_HEADER]: header });
      expect(status).toBe(401);
      expect(body.data).toBeUndefined();
    }
  });

  it('answers with a genuine header', async () => {
    const { status, body } = await post(scopeHeaders(PUBLIC_SCOPE));
    expect(status).toBe(200);
    expect(body).toEqual({ data: { me: { principalType: 'ANONYMOUS', admin: false } } });
  });

  it('refuses a WebSocket connection without the header', async () => {
    const client = createClient({
      url: stack.subgraphUrls.users!.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: false,
    });
    const closed = await new Promise<{ code: number }>((resolve) => {
      client.on('closed', (event) => resolve(event as { code: number }));
    });
    expect(closed.code).toBe(4403);
    await client.dispose();
  });

  it('keeps _resolveScope out of the public schema and refuses it without the service scope', async () => {
    const viaGateway = await stack.request('{ _resolveScope(email: "ams@t.nl") { scope } }');
    expect(viaGateway.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const direct = await graphqlRequest(
      stack.subgraphUrls.users!,
      '{ _resolveScope(email: "ams@t.nl") { scope } }',
      {},
      scopeHeaders(PUBLIC_SCOPE),
    );
    expect(direct.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
