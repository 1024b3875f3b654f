import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEV_JWT_AUDIENCE, DEV_JWT_ISSUER, devJwtSecret, mintToken } from '../../lib/devJwt';
import { createTestDatabase, type TestDatabase } from '../db';
import { freePort } from '../ports';
import { startProcess, waitForHttp, type ProductProcess } from './processes';

/** `npm start` as a process (bin/start.ts) on a test database, with the demo identities. */
export interface AllInOne {
  process: ProductProcess;
  url: string;
  database: TestDatabase;
  tokenFor(email: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startAllInOne(env: Record<string, string> = {}): Promise<AllInOne> {
  const database = await createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'mobility-fault-data-'));
  const port = await freePort();
  const process = startProcess('all-in-one', 'start.ts', [], {
    DATABASE_URL: database.url,
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    DEMO: 'true',
    DEMO_FEEDS: 'false',
    ...env,
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${url}/ready`, process, 90_000);
  } catch (err) {
    await process.stop('SIGKILL');
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  return {
    process,
    url,
    database,
    tokenFor: (email) =>
      mintToken({
        secret: devJwtSecret(dataDir),
        issuer: DEV_JWT_ISSUER,
        audience: DEV_JWT_AUDIENCE,
        emailClaim: 'email',
        email,
        ttlSeconds: 3600,
      }),
    async stop() {
      await process.stop();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
