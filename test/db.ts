import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import pino from 'pino';
import { loadConfig, type Config } from '../lib/config';
import { createDb, type Db } from '../lib/db';
import { migrateLatest } from '../lib/migrate';

export const TEST_DATABASE_PREFIX = 'mobility_test_';
export const silentLogger = pino({ level: 'silent' });

/** The configuration a process gets with no variables set: every default. */
export const TEST_CONFIG: Config = loadConfig({});

export interface TestDatabase {
  db: Db;
  url: string;
  drop(): Promise<void>;
}

function adminUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: test/globalSetup.ts should have set it');
  return url;
}

async function withAdmin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A fresh, migrated database for one test file, so test files can run in parallel. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `${TEST_DATABASE_PREFIX}${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdmin((client) => client.query(`create database "${name}"`));
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  const db = createDb(url.toString(), { poolMax: 5, applicationName: 'mobility:test' });
  await migrateLatest(db, silentLogger);
  let dropped: Promise<void> | undefined;
  return {
    db,
    url: url.toString(),
    drop() {
      dropped ??= (async () => {
        await db.destroy();
        await withAdmin((client) => client.query(`drop database if exists "${name}" with (force)`));
      })();
      return dropped;
    },
  };
}
