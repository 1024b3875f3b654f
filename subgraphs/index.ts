import type { SubgraphName } from '../schema/subgraphs';
import type { CreateSubgraph } from './types';
import { createZonesSubgraph } from './zones/server';

/** Every subgraph's factory, by name; `schema/subgraphs.ts` lists their ports and SDL files. */
export const subgraphFactories: Record<SubgraphName, CreateSubgraph> = {
  zones: createZonesSubgraph,
};
