import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
