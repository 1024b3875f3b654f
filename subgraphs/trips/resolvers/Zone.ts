import { badUserInput } from '../../../lib/errors';
import { isUuid } from '../../../lib/ids';
import type { ZoneResolvers } from '../__generated__/resolvers-types';
import { parseDayRange } from '../input';

/** A zone as this subgraph knows it: only its id (the zones subgraph owns the rest). */
export interface ZoneRef {
  id: string;
}

export const Zone: ZoneResolvers = {
  __resolveReference: ({ id }) => ({ id }),

  async dailyIndicators(zone, { from, to, groupBy }, { loaders }) {
    const range = parseDayRange(from, to);
    const known = isUuid(zone.id) ? await loaders.zoneKind.load(zone.id.toLowerCase()) : null;
    if (!known) throw badUserInput('id', `zone ${zone.id} is unknown`);
    return loaders.dailyIndicators.load({
      zoneId: known.id,
      ...range,
      groupBy: [...new Set(groupBy ?? [])].sort(),
    });
  },
};
