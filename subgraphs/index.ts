import type { CreateSubgraph } from '../lib/subgraphOptions';
import type { SubgraphName } from '../schema/subgraphs';
import { createMicrohubsSubgraph } from './microhubs/server';
import { createOdSubgraph } from './od/server';
import { createTripsSubgraph } from './trips/server';
import { createUsersSubgraph } from './users/server';
import { createVehiclesSubgraph } from './vehicles/server';
import { createZonesSubgraph } from './zones/server';

/** Every subgraph's factory, by name; `schema/subgraphs.ts` lists their ports and SDL files. */
export const subgraphFactories: Record<SubgraphName, CreateSubgraph> = {
  zones: createZonesSubgraph,
  vehicles: createVehiclesSubgraph,
  trips: createTripsSubgraph,
  users: createUsersSubgraph,
  microhubs: createMicrohubsSubgraph,
  od: createOdSubgraph,
};
