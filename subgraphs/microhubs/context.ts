import type { ScopedDb } from '../../lib/auth/scopedDb';
import type { MicrohubSettings } from '../../lib/domain/hubs/model';
import type { PubSub } from '../../lib/pubsub';
import type { RequestInfo } from '../../lib/subgraphServer';
import type { MicrohubsLoaders } from './loaders';
import type { HubReader } from './repository';

export interface MicrohubsContext extends RequestInfo {
  db: ScopedDb;
  /** The caller's scoped reads (repository.ts). */
  reader: HubReader;
  loaders: MicrohubsLoaders;
  pubsub: PubSub;
  settings: MicrohubSettings;
}
