import type { OdLevel } from '../../../lib/domain/od';
import type { OdFilter, ZoneResolvers } from '../__generated__/resolvers-types';
import type { OdContext } from '../context';
import { parseOdFilter, parseTop } from '../input';

/** A zone as this subgraph knows it: its id (the zones subgraph owns the rest). */
export interface ZoneReference {
  id: string;
}

const DEFAULT_TOP = 10;

/** The zone's own level: districts and municipalities have flows, other zones none. */
async function levelOf(context: OdContext, id: string): Promise<OdLevel | null> {
  const zone = await context.loaders.zoneKind.load(id);
  return zone?.kind === 'DISTRICT' || zone?.kind === 'MUNICIPALITY' ? zone.kind : null;
}

async function top(
  zone: ZoneReference,
  args: { filter: OdFilter; top?: number | null },
  context: OdContext,
  side: 'origins' | 'destinations',
) {
  const filter = parseOdFilter('filter', args.filter);
  const limit = parseTop('top', args.top, DEFAULT_TOP);
  const level = await levelOf(context, zone.id);
  if (!level) return [];
  return context.reader.flows({ ...filter, level, top: limit, [side]: [zone.id] });
}

export const Zone: ZoneResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  topDestinations: (zone, args, context) => top(zone, args, context, 'origins'),
  topOrigins: (zone, args, context) => top(zone, args, context, 'destinations'),
};
