import { parseArgs } from 'node:util';
import { DEV_JWT_AUDIENCE, DEV_JWT_ISSUER, devJwtSecret, mintToken } from '../lib/devJwt';
import { runMain } from '../lib/main';

/**
 * `npm run token -- amsterdam@example.org [--ttl 3600]`: a development bearer token for a user.
 * Signs with JWT_SECRET (and JWT_ISSUER / JWT_AUDIENCE) when set, else with the secret `npm start`
 * keeps in DATA_DIR. Prints only the token on stdout, so `$(npm run -s token -- you@x)` works.
 */
runMain('token', async ({ config }) => {
  const { values, positionals } = parseArgs({
    options: { ttl: { type: 'string', default: '3600' } },
    allowPositionals: true,
  });
  if (config.NODE_ENV === 'production') {
    throw new Error(
      'development tokens do not exist in production: sign in at your identity provider',
    );
  }
  const email = positionals[0];
  if (!email) throw new Error('usage: npm run token -- <email> [--ttl seconds]');
  const ttlSeconds = Number(values.ttl);
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0)
    throw new Error('--ttl must be a positive number of seconds');
  const maxTtl = config.JWT_MAX_LIFETIME_SECONDS;
  if (maxTtl > 0 && ttlSeconds > maxTtl)
    throw new Error(`--ttl must be at most ${maxTtl} s (JWT_MAX_LIFETIME_SECONDS)`);
  const token = await mintToken({
    secret: config.JWT_SECRET ?? devJwtSecret(config.DATA_DIR),
    issuer: config.JWT_SECRET ? (config.JWT_ISSUER ?? DEV_JWT_ISSUER) : DEV_JWT_ISSUER,
    audience: config.JWT_SECRET ? (config.JWT_AUDIENCE ?? DEV_JWT_AUDIENCE) : DEV_JWT_AUDIENCE,
    emailClaim: config.JWT_EMAIL_CLAIM,
    email,
    ttlSeconds,
  });
  process.stdout.write(`${token}\n`);
  process.stderr.write(`Paste as a header: {"Authorization": "Bearer ${token}"}\n`);
});
