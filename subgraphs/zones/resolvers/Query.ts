import { scopeAllows } from '../../../lib/auth/scope';
import { badUserInput } from '../../../lib/errors';
import type { BBox } from '../../../lib/geo/geometry';
import { parseId } from '../../../lib/ids';
import { decodeCursor, pageSize, toConnection } from '../../../lib/pagination';
import type {
  BoundingBoxInput,
  QueryResolvers,
  ZoneFilter,
} from '../__generated__/resolvers-types';
import { zoneOwnership, type ZoneKind } from '../repository';

const MAX_CODES = 1000;
/** What `zoneAt` looks for when no kind is asked: never a hub or a custom zone drawn on top. */
const ADMINISTRATIVE = new Set<ZoneKind>(['MUNICIPALITY', 'DISTRICT', 'NEIGHBOURHOOD']);
const MAX_NAME_LENGTH = 200;

function checkCoordinate(argumentName: string, value: number, limit: number): void {
  if (!Number.isFinite(value) || value < -limit || value > limit) {
    throw badUserInput(argumentName, `must be between -${limit} and ${limit}, got ${value}`);
  }
}

function parseBbox(input: BoundingBoxInput, argumentName: string): BBox {
  checkCoordinate(`${argumentName}.minLng`, input.minLng, 180);
  checkCoordinate(`${argumentName}.maxLng`, input.maxLng, 180);
  checkCoordinate(`${argumentName}.minLat`, input.minLat, 90);
  checkCoordinate(`${argumentName}.maxLat`, input.maxLat, 90);
  if (input.minLng > input.maxLng)
    throw badUserInput(argumentName, 'minLng is greater than maxLng');
  if (input.minLat > input.maxLat)
    throw badUserInput(argumentName, 'minLat is greater than maxLat');
  return [input.minLng, input.minLat, input.maxLng, input.maxLat];
}

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
    nameContains: name || undefined,
    bbox: filter.bbox ? parseBbox(filter.bbox, 'filter.bbox') : undefined,
  };
}

export const Query: QueryResolvers = {
  async zones(_parent, { filter, first, after }, { zones }) {
    const size = pageSize(first, { defaultSize: 50, maxSize: 500 });
    const keyset = after ? decodeCursor(after, 2) : undefined;
    const { rows, totalCount } = await zones.page(parseFilter(filter), size + 1, keyset);
    return toConnection(rows, size, (z) => [z.name, z.id], {
      totalCount,
      hasPreviousPage: keyset !== undefined,
    });
  },

  zone(_parent, { id }, { loaders }) {
    return loaders.zoneById.load(parseId(id, 'id', 'zone'));
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
};
