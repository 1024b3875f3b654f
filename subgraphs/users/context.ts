import type { ScopedDb } from '../../lib/auth/scopedDb';
import type { PubSub } from '../../lib/pubsub';
import type { RequestInfo } from '../../lib/subgraphServer';
import type { UsersLoaders } from './loaders';
import type { UsersRepository } from './repository';

export interface UsersContext extends RequestInfo {
  db: ScopedDb;
  /** The caller's scoped reads (repository.ts). */
  reader: UsersRepository;
  loaders: UsersLoaders;
  pubsub: PubSub;
}
