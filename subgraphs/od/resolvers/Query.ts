import type { OdLevel } from '../../../lib/domain/od';
import { OUTSIDE } from '../../../lib/domain/od';
import { badUserInput } from '../../../lib/errors';
import type { QueryResolvers } from '../__generated__/resolvers-types';
import type { OdContext } from '../context';
import { parseOdFilter, parsePlaces, parseTop, TOP_LIMITS } from '../input';
import type { OdSelection } from '../repository';

/** Zone ids of a zone level must name zones of that kind the caller may see. */
async function checkZones(
  context: OdContext,
  argumentName: string,
  level: OdLevel,
  ids: readonly string[] | undefined,
): Promise<void> {
  if (!ids || (level !== 'DISTRICT' && level !== 'MUNICIPALITY')) return;
  const kinds = await context.loaders.zoneKind.loadMany(ids);
  ids.forEach((id, i) => {
    const zone = kinds[i];
    if (id !== OUTSIDE && (!zone || zone instanceof Error || zone.kind !== level)) {
      throw badUserInput(`${argumentName}[${i}]`, `no ${level} zone has id ${id}`);
    }
  });
}

export const Query: QueryResolvers = {
  async odFlows(_parent, { filter, level, origins, destinations, top }, context) {
    const selection: OdSelection = {
      ...parseOdFilter('filter', filter),
      level,
      origins: parsePlaces('origins', level, origins),
      destinations: parsePlaces('destinations', level, destinations),
      top: parseTop('top', top, TOP_LIMITS.defaultSize),
    };
    // The zones are checked while the flows are read (one round trip, not two); an answer for
    // zones that fail the check is never returned.
    const [, , answer] = await Promise.all([
      checkZones(context, 'origins', level, selection.origins),
      checkZones(context, 'destinations', level, selection.destinations),
      context.reader.flowsAndTripsWithoutEnd(selection),
    ]);
    return {
      level,
      flows: answer.flows,
      trips: answer.flows.reduce((sum, f) => sum + f.trips, 0),
      tripsWithoutEnd: answer.tripsWithoutEnd,
      minCount: context.minCount,
    };
  },
};
