import { parseFormFactors, parseOperatorIds } from '../../../lib/graphql/input';
import { isUuid } from '../../../lib/ids';
import { pageSize, toConnection } from '../../../lib/pagination';
import type { ZoneResolvers } from '../__generated__/resolvers-types';
import { parseStationRange, parseVehicleCursor } from '../input';

const PAGE = { defaultSize: 100, maxSize: 1000 };

export const Zone: ZoneResolvers = {
  // The zones subgraph decides whether the caller sees the zone; the vehicles below are scoped here.
  __resolveReference: ({ id }) => (isUuid(id) ? { id: id.toLowerCase() } : null),
  async parkedVehicles(zone, { formFactors, operatorIds, first, after }, { reader }) {
    const size = pageSize(first, PAGE);
    const keyset = parseVehicleCursor(after);
    const { rows, totalCount } = await reader.vehiclesPage(
      {
        zoneIds: [zone.id],
        formFactors: formFactors ? parseFormFactors('formFactors', formFactors) : undefined,
        operatorIds: operatorIds ? parseOperatorIds('operatorIds', operatorIds) : undefined,
      },
      size + 1,
      keyset,
    );
    return toConnection(rows, size, (v) => [v.feed_id, v.vehicle_id], {
      totalCount,
      hasPreviousPage: keyset !== undefined,
    });
  },
  async stations(zone, { operatorIds, first, after }, { stations }) {
    const size = pageSize(first, PAGE);
    const keyset = parseVehicleCursor(after);
    const { rows, totalCount } = await stations.stationsPage(
      {
        zoneIds: [zone.id],
        operatorIds: operatorIds ? parseOperatorIds('operatorIds', operatorIds) : undefined,
      },
      size + 1,
      keyset,
    );
    return toConnection(rows, size, (s) => [s.feed_id, s.station_id], {
      totalCount,
      hasPreviousPage: keyset !== undefined,
    });
  },
  stationAvailability(zone, { from, to, interval, formFactors, operatorIds }, { stations }) {
    return stations.stationSeries({
      zoneId: zone.id,
      ...parseStationRange(from, to, interval),
      formFactors: formFactors ? parseFormFactors('formFactors', formFactors) : undefined,
      operatorIds: operatorIds ? parseOperatorIds('operatorIds', operatorIds) : undefined,
    });
  },
};
