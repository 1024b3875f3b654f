import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEV_JWT_AUDIENCE, DEV_JWT_ISSUER, devJwtSecret, mintToken } from '../../lib/devJwt';
import { InProcessPubSub } from '../../lib/pubsub';
import { SUBGRAPHS, type SubgraphName } from '../../schema/subgraphs';
import { seed } from '../../seeds';
import { createTestDatabase, silentLogger, type TestDatabase } from '../db';
import { freePort } from '../ports';
import { startProcess, waitForHttp, type ProductProcess } from './processes';

/**
 * The product split as a deployment runs it: every subgraph its own process (bin/subgraph.ts) and
 * gateway replicas (bin/gateway.ts) on a seeded test database, sharing one Redis and one scope
 * secret. A subgraph or a gateway can be killed and started again on the same port.
 */
export interface SplitDeployment {
  database: TestDatabase;
  /** The GraphQL URL of each running gateway replica, in start order. */
  gateways: { url: string; process: ProductProcess }[];
  tokenFor(email: string): Promise<string>;
  /** SIGKILL: the subgraph dies without draining, as on a crash or an OOM kill. */
  killSubgraph(name: SubgraphName): Promise<void>;
  startSubgraph(name: SubgraphName): Promise<void>;
  killGateway(index: number): Promise<void>;
  stop(): Promise<void>;
}

const SCOPE_SECRET = 'split-deployment-scope-secret-0123456789';

export async function startSplitDeployment(options: {
  redisUrl: string;
  gateways: number;
  /** Settings for every gateway replica besides the defaults below (e.g. GATEWAY_WORKERS). */
  gatewayEnv?: Record<string, string>;
}): Promise<SplitDeployment> {
  const database = await createTestDatabase();
  const pubsub = new InProcessPubSub();
  await seed(database.db, pubsub, silentLogger, { demo: true });
  await pubsub.close();
  const dataDir = mkdtempSync(join(tmpdir(), 'mobility-split-'));
  const common = {
    DATABASE_URL: database.url,
    DATA_DIR: dataDir,
    REDIS_URL: options.redisUrl,
    SCOPE_SECRET,
    HOST: '127.0.0.1',
  };
  const ports = new Map<SubgraphName, number>();
  for (const { name } of SUBGRAPHS) ports.set(name, await freePort());
  const subgraphs = new Map<SubgraphName, ProductProcess>();
  const startSubgraph = async (name: SubgraphName): Promise<void> => {
    const port = ports.get(name) ?? 0;
    const process = startProcess(`subgraph ${name}`, 'subgraph.ts', [name], {
      ...common,
      SUBGRAPH_PORT: String(port),
    });
    subgraphs.set(name, process);
    await waitForHttp(`http://127.0.0.1:${port}/health`, process, 90_000);
  };
  const gateways: SplitDeployment['gateways'] = [];
  const stopAll = async () => {
    await Promise.all([
      ...gateways.map(({ process }) => process.stop()),
      ...[...subgraphs.values()].map((process) => process.stop()),
    ]);
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await Promise.all(SUBGRAPHS.map(({ name }) => startSubgraph(name)));
    const subgraphUrls = SUBGRAPHS.map(
      ({ name }) => `${name}=http://127.0.0.1:${ports.get(name) ?? 0}/graphql`,
    ).join(',');
    for (let i = 0; i < options.gateways; i += 1) {
      const port = await freePort();
      const process = startProcess(`gateway ${i}`, 'gateway.ts', [], {
        ...common,
        PORT: String(port),
        SUBGRAPH_URLS: subgraphUrls,
        GATEWAY_WORKERS: '1',
        JWT_SECRET: devJwtSecret(dataDir),
        JWT_ISSUER: DEV_JWT_ISSUER,
        JWT_AUDIENCE: DEV_JWT_AUDIENCE,
        ...options.gatewayEnv,
      });
      gateways.push({ url: `http://127.0.0.1:${port}/graphql`, process });
    }
    await Promise.all(
      gateways.map(({ url, process }) =>
        waitForHttp(url.replace('/graphql', '/ready'), process, 90_000),
      ),
    );
  } catch (err) {
    await stopAll();
    throw err;
  }
  return {
    database,
    gateways,
    tokenFor: (email) =>
      mintToken({
        secret: devJwtSecret(dataDir),
        issuer: DEV_JWT_ISSUER,
        audience: DEV_JWT_AUDIENCE,
        emailClaim: 'email',
        email,
        ttlSeconds: 3600,
      }),
    async killSubgraph(name) {
      await subgraphs.get(name)?.stop('SIGKILL');
    },
    startSubgraph,
    async killGateway(index) {
      await gateways[index]?.process.stop('SIGKILL');
    },
    stop: stopAll,
  };
}
