import type { ZoneResolvers } from '../__generated__/resolvers-types';

/** A zone as this subgraph knows it: its id (the zones subgraph owns the rest). */
export interface ZoneReference {
  id: string;
}

export const Zone: ZoneResolvers = {
  __resolveReference({ id }) {
    return { id };
  },

  hubs(zone, _args, { loaders }) {
    return loaders.hubsByZoneId.load(zone.id);
  },
};
