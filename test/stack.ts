import { createAuthenticator } from '../gateway/auth/authenticate';
import { createJwtVerifier, type JwtOptions } from '../gateway/auth/jwt';
import { createScopeResolver } from '../gateway/auth/scopeResolver';
import { createGateway, type Gateway, type GatewayOptions } from '../gateway/server';
import { loadConfig } from '../lib/config';
import { mintToken } from '../lib/devJwt';
import { InProcessPubSub } from '../lib/pubsub';
import type { SubgraphServer } from '../lib/subgraphServer';
import type { SubgraphName } from '../schema/subgraphs';
import { seed } from '../seeds';
import { subgraphFactories } from '../subgraphs';
import { createTestDatabase, silentLogger, type TestDatabase } from './db';
import { testGatewayOptions } from './gateway';
import { graphqlRequest, type GraphQLResponse } from './graphql';
import { TEST_SCOPE_SECRET } from './scope';

export const TEST_JWT = {
  secret: 'test-jwt-secret-0123456789abcdef0123456789',
  issuer: 'https://id.example.test',
  audience: 'mobility-test',
};

export interface Caller {
  token?: string;
  apiKey?: string;
}

export interface TestStack {
  database: TestDatabase;
  pubsub: InProcessPubSub;
  gateway: Gateway;
  url: string;
  subgraphUrls: Record<string, string>;
  /** A valid HS256 token for the user with this email. */
  tokenFor(email: string): Promise<string>;
  /** A GraphQL request through the gateway, as this caller. */
  request<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    caller?: Caller,
  ): Promise<GraphQLResponse<T>>;
  stop(): Promise<void>;
}

function headersOf(caller: Caller | undefined): Record<string, string> {
  return {
    ...(caller?.token ? { authorization: `Bearer ${caller.token}` } : {}),
    ...(caller?.apiKey ? { 'x-api-key': caller.apiKey } : {}),
  };
}

/**
 * The real system for a test file: its own database with municipalities, the given subgraphs on
 * port 0, and a gateway that authenticates like production (JWT with TEST_JWT, API keys, scopes
 * from the users subgraph).
 */
export async function startTestStack(
  options: {
    subgraphs?: SubgraphName[];
    jwt?: JwtOptions;
    authCacheTtlMs?: number;
    gateway?: Partial<GatewayOptions>;
  } = {},
): Promise<TestStack> {
  const database = await createTestDatabase();
  const pubsub = new InProcessPubSub();
  await seed(database.db, pubsub, silentLogger, { demo: false });
  const config = loadConfig({ NODE_ENV: 'test' });

  const servers: SubgraphServer[] = [];
  const subgraphUrls: Record<string, string> = {};
  for (const name of options.subgraphs ?? (['zones', 'users'] as const)) {
    const server = subgraphFactories[name]({
      config,
      logger: silentLogger,
      db: database.db,
      pubsub,
      scopeSecret: TEST_SCOPE_SECRET,
    });
    servers.push(server);
    subgraphUrls[name] = (await server.start(0, '127.0.0.1')).url;
  }

  const jwt = options.jwt ?? TEST_JWT;
  const scopes = createScopeResolver({
    usersUrl: () => subgraphUrls.users,
    scopeSecret: TEST_SCOPE_SECRET,
    cacheTtlMs: options.authCacheTtlMs ?? config.AUTH_CACHE_TTL_MS,
    timeoutMs: 5000,
    pubsub,
    logger: silentLogger,
  });
  await scopes.start();
  const gateway = createGateway(
    testGatewayOptions({
      supergraphPath: config.SUPERGRAPH_PATH,
      subgraphUrls,
      maskInternalErrors: true,
      authenticate: createAuthenticator({
        verifyJwt: await createJwtVerifier(jwt),
        emailClaim: 'email',
        scopes,
      }),
      onScopeInvalidated: (listener) => scopes.onInvalidated(listener),
      ...options.gateway,
    }),
  );
  const { url } = await gateway.start(0, '127.0.0.1');

  return {
    database,
    pubsub,
    gateway,
    url,
    subgraphUrls,
    tokenFor: (email) =>
      mintToken({
        secret: TEST_JWT.secret,
        issuer: TEST_JWT.issuer,
        audience: TEST_JWT.audience,
        emailClaim: 'email',
        email,
        ttlSeconds: 600,
      }),
    request: (query, variables = {}, caller) =>
      graphqlRequest(url, query, variables, headersOf(caller)),
    async stop() {
      await gateway.stop();
      await scopes.stop();
      for (const server of servers) await server.stop();
      await pubsub.close();
      await database.drop();
    },
  };
}
