import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { parse, type DocumentNode } from 'graphql';
import type { Config } from './config';
import type { Db } from './db';
import type { Logger } from './logger';
import { metricsAccess } from './observability/metricsRoute';
import type { PubSub } from './pubsub';
import type { SubgraphServer } from './subgraphServer';

/** What every subgraph is built from; the process that runs it owns (and closes) these. */
export interface SubgraphDeps {
  config: Config;
  logger: Logger;
  db: Db;
  pubsub: PubSub;
  /** Verifies the gateway's signed scope header (see lib/auth/scopeHeader.ts). */
  scopeSecret: string;
}

export type CreateSubgraph = (deps: SubgraphDeps) => SubgraphServer;

/** A subgraph's SDL, read from the `schema.graphql` beside its server. */
export function loadTypeDefs(dir: string): DocumentNode {
  return parse(readFileSync(join(dir, 'schema.graphql'), 'utf8'));
}

/**
 * The server options every subgraph shares: its name, SDL and (codegen-typed) resolvers, and the
 * process's logger, introspection, error masking, scope secret and database readiness.
 */
export function commonServerOptions(
  deps: SubgraphDeps,
  name: string,
  typeDefs: DocumentNode,
  resolvers: object,
) {
  return {
    name,
    typeDefs,
    resolvers: resolvers as GraphQLResolverMap<unknown>,
    logger: deps.logger,
    introspection: deps.config.INTROSPECTION,
    maskInternalErrors: deps.config.NODE_ENV === 'production',
    scopeSecret: deps.scopeSecret,
    metrics: metricsAccess(deps.config),
    async checkReady() {
      await deps.db.raw('select 1');
    },
  };
}
