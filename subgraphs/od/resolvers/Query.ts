import type { OdLevel } from '../../../lib/domain/od';
import { OUTSIDE } from '../../../lib/domain/od';
import { badUserInput } from '../../../lib/errors';
import type { QueryResolvers } from '../__generated__/resolvers-types';
import type { OdContext } from '../context';
import { parseOdFilter, parsePlaces, parseTop, TOP_LIMITS } from '../input';
import type { OdSelection } from '../repository';

/** Zone ids of a zone level must name zones of that kind the caller may see. */
export async function checkZones(
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

export async function answerFlows(context: OdContext, selection: OdSelection) {
  const [flows, tripsWithoutEnd] = await Promise.all([
    context.reader.flows(selection),
    context.reader.tripsWithoutEnd(selection),
  ]);
  return {
    level: selection.level,
    flows,
    trips: flows.reduce((sum, f) => sum + f.trips, 0),
    tripsWithoutEnd,
    minCount: context.minCount,
  };
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
    await checkZones(context, 'origins', level, selection.origins);
    await checkZones(context, 'destinations', level, selection.destinations);
    return answerFlows(context, selection);
  },
};
