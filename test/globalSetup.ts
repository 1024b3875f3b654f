import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import pino from 'pino';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../lib/embeddedPostgres';
import { freePort } from './ports';
import { TEST_DATABASE_PREFIX } from './db';
import { isProcessAlive } from '../lib/processes';

declare global {
  var embeddedTestPostgres: EmbeddedPostgres | undefined;
}

/**
 * Tests use DATABASE_URL as an admin connection and create one database per test file. Without
 * DATABASE_URL they get an embedded PostgreSQL in a temporary folder, as `npm start` would.
 */
export default async function globalSetup(): Promise<void> {
  if (!process.env.DATABASE_URL) {
    const dataDir = mkdtempSync(join(tmpdir(), 'mobility-test-'));
    const embedded = await startEmbeddedPostgres({
      dataDir,
      port: await freePort(),
      logger: pino({ level: 'silent' }),
    });
    globalThis.embeddedTestPostgres = embedded;
    process.env.DATABASE_URL = embedded.url;
  }
  await requireRedis();
  // Databases left behind by an interrupted run.
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      'select datname from pg_database where datname like $1',
      [`${TEST_DATABASE_PREFIX}%`],
    );
    // Only those of processes that are gone: another jest run on this server may be using its own.
    for (const { datname } of rows) {
      const pid = Number(datname.slice(TEST_DATABASE_PREFIX.length).split('_')[0]);
      if (Number.isInteger(pid) && isProcessAlive(pid)) continue;
      await client.query(`drop database if exists "${datname}" with (force)`);
    }
  } finally {
    await client.end();
  }
}

const LOCAL_REDIS = 'redis://127.0.0.1:6379/0';

/**
 * Redis is as much a part of the system as PostgreSQL: the tests of pub/sub, shared rate limits
 * and several processes need it, and a test that skips itself when it is missing hides exactly
 * the failures it exists for. Without REDIS_URL the local default is used; no answer is an error.
 */
async function requireRedis(): Promise<void> {
  const url = process.env.REDIS_URL ?? LOCAL_REDIS;
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 2000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    throw new Error(
      `the tests need Redis at ${url} (set REDIS_URL, or start redis-server): ${(err as Error).message}`,
    );
  } finally {
    redis.disconnect();
  }
  process.env.REDIS_URL = url;
}
