import { badUserInput } from '../../../lib/errors';
import type { BBox } from '../../../lib/geo/geometry';
import {
  parseBbox,
  parseFormFactors,
  parseMunicipalityCode,
  parseMunicipalityCodes,
  parseOperatorId,
  parseOperatorIds,
  parseTimeKeyCursor,
  parseZoneIds,
} from '../../../lib/graphql/input';
import { parseId } from '../../../lib/ids';
import { decodeCursor, pageSize, toConnection } from '../../../lib/pagination';
import type { QueryResolvers } from '../__generated__/resolvers-types';
import {
  BBOX_TOLERANCE_DEGREES,
  MAX_OPEN_DATA_BBOX_DEGREES,
  parseFleetFilter,
  parseStationFilter,
  parseVehicleCursor,
} from '../input';
import type { FleetFilter, ParkingDurationsOf, VehicleGroupBy } from '../repository';
import { decodeVehicleId } from '../vehicleId';
import { checkNamedScope } from '../../../lib/auth/namedScope';
import type { ScopedDb } from '../../../lib/auth/scopedDb';

const VEHICLE_PAGE = { defaultSize: 100, maxSize: 1000 };
const OPEN_DATA_PAGE = { defaultSize: 500, maxSize: 1000 };
const PUBLIC_ID = /^[0-9a-f]{32}$/;

/** The filter's codes and ids must exist and be within sight (lib/auth/namedScope.ts). */
async function checked<F extends Pick<FleetFilter, 'municipalityCodes' | 'operatorIds'>>(
  db: ScopedDb,
  filter: F,
  argumentName = 'filter',
): Promise<F> {
  await checkNamedScope(db, {
    municipalityCodes: {
      argumentName: `${argumentName}.municipalityCodes`,
      values: filter.municipalityCodes,
    },
    operatorIds: { argumentName: `${argumentName}.operatorIds`, values: filter.operatorIds },
  });
  return filter;
}

export const Query: QueryResolvers = {
  async vehiclesNow(_parent, { filter, first, after }, { reader, db }) {
    const size = pageSize(first, VEHICLE_PAGE);
    const keyset = parseVehicleCursor(after);
    const { rows, totalCount } = await reader.vehiclesPage(
      await checked(db, parseFleetFilter('filter', filter)),
      size + 1,
      keyset,
    );
    return toConnection(rows, size, (v) => [v.feed_id, v.vehicle_id], {
      totalCount,
      hasPreviousPage: keyset !== undefined,
    });
  },

  async vehicleCountsNow(_parent, { filter, groupBy }, { reader, db }) {
    const parsed = await checked(db, parseFleetFilter('filter', filter));
    const groups: VehicleGroupBy[] = [...new Set(groupBy ?? [])];
    if (groups.includes('ZONE') && !parsed.zoneIds) {
      throw badUserInput('groupBy', 'ZONE needs filter.zoneIds: the zones to count in');
    }
    return reader.vehicleCounts(parsed, groups);
  },

  vehicle(_parent, { id }, { loaders }) {
    const key = decodeVehicleId(id);
    if (!key) throw badUserInput('id', `"${id}" is not a vehicle id returned by this API`);
    return loaders.vehicleByKey.load(key);
  },

  async parkEventsAt(_parent, { at, filter, first, after }, { reader, db }) {
    const size = pageSize(first, VEHICLE_PAGE);
    const keyset = parseTimeKeyCursor(after);
    const { rows, totalCount } = await reader.parkEventsAtPage(
      at,
      await checked(db, parseFleetFilter('filter', filter)),
      size + 1,
      keyset,
    );
    return toConnection(rows, size, (p) => [p.start_key, p.id], {
      totalCount,
      hasPreviousPage: keyset !== undefined,
    });
  },

  async parkingDurations(_parent, args, { reader, db }) {
    const { zoneIds, municipalityCodes, at, formFactors, operatorIds } = args;
    if ((zoneIds ? 1 : 0) + (municipalityCodes ? 1 : 0) !== 1) {
      throw badUserInput('zoneIds', 'give exactly one of zoneIds and municipalityCodes');
    }
    const of: ParkingDurationsOf = zoneIds
      ? { zoneIds: parseZoneIds('zoneIds', zoneIds) }
      : { municipalityCodes: parseMunicipalityCodes('municipalityCodes', municipalityCodes ?? []) };
    const operators = operatorIds ? parseOperatorIds('operatorIds', operatorIds) : undefined;
    await checkNamedScope(db, {
      municipalityCodes: {
        argumentName: 'municipalityCodes',
        values: 'municipalityCodes' in of ? of.municipalityCodes : undefined,
      },
      operatorIds: { argumentName: 'operatorIds', values: operators },
    });
    return reader.parkingDurations(of, at ?? new Date(), {
      formFactors: formFactors ? parseFormFactors('formFactors', formFactors) : undefined,
      operatorIds: operators,
    });
  },

  async availableVehicles(_parent, args, { reader, availableIdPads }) {
    const { bbox, municipalityCode, formFactors, placements, first, after } = args;
    if ((bbox ? 1 : 0) + (municipalityCode ? 1 : 0) !== 1) {
      throw badUserInput('bbox', 'give exactly one of bbox and municipalityCode');
    }
    let area: { bbox: BBox } | { municipalityCode: string };
    if (bbox) {
      const box = parseBbox('bbox', bbox);
      // Compared with a tolerance: 2.2 - 1.7 is 0.5000000000000002 in floating point.
      const limit = MAX_OPEN_DATA_BBOX_DEGREES + BBOX_TOLERANCE_DEGREES;
      if (box[2] - box[0] > limit || box[3] - box[1] > limit) {
        throw badUserInput('bbox', `at most ${MAX_OPEN_DATA_BBOX_DEGREES} degree on a side`);
      }
      area = { bbox: box };
    } else {
      area = {
        municipalityCode: parseMunicipalityCode('municipalityCode', municipalityCode ?? ''),
      };
    }
    const size = pageSize(first, OPEN_DATA_PAGE);
    let keyset: string | undefined;
    if (after !== null && after !== undefined) {
      const [last] = decodeCursor(after, 1);
      if (typeof last !== 'string' || !PUBLIC_ID.test(last)) {
        throw badUserInput('after', 'is not a cursor returned by this API');
      }
      keyset = last;
    }
    const { rows, totalCount } = await reader.availablePage(
      area,
      formFactors ? parseFormFactors('formFactors', formFactors) : undefined,
      placements?.length ? [...new Set(placements)] : ['FREE_FLOATING'],
      availableIdPads,
      size + 1,
      keyset,
    );
    return toConnection(rows, size, (v) => [v.public_id], {
      totalCount,
      hasPreviousPage: keyset !== undefined,
    });
  },

  async stations(_parent, { filter, first, after }, { stations, db }) {
    const size = pageSize(first, VEHICLE_PAGE);
    const keyset = parseVehicleCursor(after);
    const parsed = parseStationFilter('filter', filter);
    await checked(db, parsed);
    const { rows, totalCount } = await stations.stationsPage(parsed, size + 1, keyset);
    return toConnection(rows, size, (s) => [s.feed_id, s.station_id], {
      totalCount,
      hasPreviousPage: keyset !== undefined,
    });
  },

  operators: (_parent, _args, { reader }) => reader.listOperators(),

  operator: (_parent, { id }, { loaders }) => loaders.operatorById.load(parseOperatorId('id', id)),

  vehicleTypes: (_parent, { operatorId }, { reader }) =>
    reader.vehicleTypes(
      operatorId === null || operatorId === undefined
        ? undefined
        : [parseOperatorId('operatorId', operatorId)],
    ),

  feeds: (_parent, { operatorId, active }, { reader }) =>
    reader.listFeeds({
      operatorIds:
        operatorId === null || operatorId === undefined
          ? undefined
          : [parseOperatorId('operatorId', operatorId)],
      active: active ?? undefined,
    }),

  feed: (_parent, { id }, { loaders }) => loaders.feedById.load(parseId(id, 'id', 'feed')),
};
