import type { Config } from '../lib/config';
import type { Db } from '../lib/db';
import type { Logger } from '../lib/logger';
import type { PubSub } from '../lib/pubsub';
import type { SubgraphServer } from '../lib/subgraphServer';

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
