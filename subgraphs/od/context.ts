import type { RequestInfo } from '../../lib/subgraphServer';
import type { OdLoaders } from './loaders';
import type { OdReader } from './repository';

export interface OdContext extends RequestInfo {
  reader: OdReader;
  loaders: OdLoaders;
  /** OD_MIN_COUNT: the k of the k-anonymity rule. */
  minCount: number;
}
