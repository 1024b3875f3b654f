import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT } from 'jose';

/**
 * Development sign-in without an identity provider: `npm start` (with no JWT_* settings) accepts
 * HS256 tokens signed with a secret kept in DATA_DIR, and `npm run token` mints them.
 */
export const DEV_JWT_ISSUER = 'mobility-dev';
export const DEV_JWT_AUDIENCE = 'mobility-dev';

export function devJwtSecret(dataDir: string): string {
  const file = join(dataDir, 'dev-jwt-secret');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
  }
  return readFileSync(file, 'utf8').trim();
}

export async function mintToken(options: {
  secret: string;
  email: string;
  issuer: string;
  audience: string;
  emailClaim: string;
  ttlSeconds: number;
}): Promise<string> {
  return new SignJWT({ [options.emailClaim]: options.email })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(options.email)
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setIssuedAt()
    .setNotBefore('0s')
    .setExpirationTime(`${options.ttlSeconds}s`)
    .sign(new TextEncoder().encode(options.secret));
}
