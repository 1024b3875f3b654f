import { scopeAllows } from '../../../lib/auth/scope';
import { zoneOwnership } from '../../../lib/domain/zones';
import { badUserInput } from '../../../lib/errors';
import { checkCoordinate, parseBbox, parseMunicipalityCodes } from '../../../lib/graphql/input';
import { parseId } from '../../../lib/ids';
import { decodeCursor, pageSize, toConnection } from '../../../lib/pagination';
import type { QueryResolvers, ZoneFilter } from '../__generated__/resolvers-types';
import type { ZoneKind } from '../../../lib/domain/zones';
import { parseSeriesArgs } from '../input';
import { bucketStarts } from '../series';

const MAX_CODES = 1000;
/** What `zoneAt` looks for when no kind is asked: never a hub or a custom zone drawn on top. */
const ADMINISTRATIVE = new Set<ZoneKind>(['MUNICIPALITY', 'DISTRICT', 'NEIGHBOURHOOD']);
const MAX_NAME_LENGTH = 200;

function parseFilter(filter: ZoneFilter | null | undefined) {
  if (!filter) return {};
  if (filter.codes && filter.codes.length > MAX_CODES) {
    throw badUserInput('filter.codes', `at most ${MAX_CODES} codes, got ${filter.codes.length}`);
  }
  const name = filter.nameContains?.trim();
  if (name !== undefined && name.length > MAX_NAME_LENGTH) {
    throw badUserInput('filter.nameContains', `at most ${MAX_NAME_LENGTH} characters`);
  }
  return {
    kind: filter.kind ?? undefined,
    codes: filter.codes ?? undefined,
    municipalityCodes: filter.municipalityCodes
      ? parseMunicipalityCodes('filter.municipalityCodes', filter.municipalityCodes)
      : undefined,
    nameContains: name || undefined,
    bbox: filter.bbox ? parseBbox('filter.bbox', filter.bbox) : undefined,
    includeRetired: filter.includeRetired ?? false,
  };
}

export const Query: QueryResolvers = {
  async zones(_parent, { filter, first, after }, { reader }) {
    const size = pageSize(first, { defaultSize: 50, maxSize: 500 });
    const keyset = after ? decodeCursor(after, 2) : undefined;
    const { rows, totalCount } = await reader.page(parseFilter(filter), size + 1, keyset);
    return toConnection(rows, size, (z) => [z.name, z.id], {
      totalCount,
      hasPreviousPage: keyset !== undefined,
    });
  },

  // An unknown id and the id of a zone the caller may not see (another organisation's custom
  // zone, a hub not in effect) get the same answer, so ids can't be probed for what is hidden.
  async zone(_parent, { id }, { loaders }) {
    const zone = await loaders.zoneById.load(parseId(id, 'id', 'zone'));
    if (!zone) throw badUserInput('id', `no zone with id ${id}`);
    return zone;
  },

  async zoneAt(_parent, { lat, lng, kind }, { zoneIndex, loaders, scope }) {
    checkCoordinate('lat', lat, 90);
    checkCoordinate('lng', lng, 180);
    const [match] = zoneIndex.current.containing(
      lng,
      lat,
      (zone) =>
        (kind ? zone.kind === kind : ADMINISTRATIVE.has(zone.kind)) &&
        scopeAllows(scope, zoneOwnership(zone)),
    );
    return match ? loaders.zoneById.load(match.id) : null;
  },

  seriesBuckets(_parent, args, { seriesTimeZone }) {
    const query = parseSeriesArgs('availability', args, seriesTimeZone);
    return {
      resolution: query.resolution,
      timeZone: query.timeZone,
      bucketStarts: bucketStarts(query),
      end: new Date(query.bounds[query.bounds.length - 1] ?? 0),
    };
  },
};
