import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import pino from 'pino';
import type { Config } from '../lib/config';
import { createDb, type Db } from '../lib/db';
import { startEmbeddedPostgres } from '../lib/embeddedPostgres';
import { freePort } from '../test/ports';

export interface BenchDatabase {
  db: Db;
  /** Drops the bench's database (and stops the embedded server if the bench started one). */
  close(): Promise<void>;
}

export interface BenchServer {
  /** A connection with the right to create and drop databases. */
  adminUrl: string;
  /** Stops the embedded server, if the bench started one. */
  stop: () => Promise<void>;
}

/** The server in DATABASE_URL, or an embedded PostgreSQL in a temporary folder without it. */
export async function benchServer(config: Config): Promise<BenchServer> {
  if (config.DATABASE_URL) return { adminUrl: config.DATABASE_URL, stop: () => Promise.resolve() };
  const dataDir = mkdtempSync(join(tmpdir(), 'mobility-bench-'));
  const embedded = await startEmbeddedPostgres({
    dataDir,
    port: await freePort(),
    logger: pino({ level: 'silent' }),
  });
  return {
    adminUrl: embedded.url,
    stop: async () => {
      await embedded.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A fresh, empty database of its own for one bench run, named `bench_<label>_<pid>_<random>`, on
 * the server in DATABASE_URL, or on an embedded PostgreSQL in a temporary folder without it.
 */
export async function openBenchDatabase(
  config: Config,
  label: string,
  poolMax = 8,
): Promise<BenchDatabase> {
  const { adminUrl, stop: stopEmbedded } = await benchServer(config);
  const admin = async (sql: string) => {
    const client = new PgClient({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  const name = `bench_${label}_${process.pid}_${randomBytes(3).toString('hex')}`;
  await admin(`create database "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = createDb(url.toString(), { poolMax, applicationName: 'mobility:bench' });
  return {
    db,
    async close() {
      await db.destroy();
      await admin(`drop database if exists "${name}" with (force)`);
      await stopEmbedded();
    },
  };
}
