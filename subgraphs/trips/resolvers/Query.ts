import { checkNamedScope } from '../../../lib/auth/namedScope';
import type { ScopedDb } from '../../../lib/auth/scopedDb';
import { badUserInput } from '../../../lib/errors';
import { parseTimeKeyCursor } from '../../../lib/graphql/input';
import { pageSize, toConnection } from '../../../lib/pagination';
import type { QueryResolvers } from '../__generated__/resolvers-types';
import { parseRentalFilter, parseTimeZone, parseTripFilter } from '../input';
import { cellCentre, type RentalGroupBy } from '../repository';

const TRIP_PAGE = { defaultSize: 100, maxSize: 1000 };
const CELL_LIMITS = { defaultSize: 1000, maxSize: 10_000 };
const DEFAULT_TIME_ZONE = 'Europe/Amsterdam';

/** The filter's codes and ids must exist and be within sight (lib/auth/namedScope.ts). */
async function checked<T extends { municipalityCodes?: string[]; operatorIds?: string[] }>(
  db: ScopedDb,
  query: T,
): Promise<T> {
  await checkNamedScope(db, {
    municipalityCodes: {
      argumentName: 'filter.municipalityCodes',
      values: query.municipalityCodes,
    },
    operatorIds: { argumentName: 'filter.operatorIds', values: query.operatorIds },
  });
  return query;
}

export const Query: QueryResolvers = {
  async trips(_parent, { filter, first, after }, { reader, db }) {
    const size = pageSize(first, TRIP_PAGE);
    const keyset = parseTimeKeyCursor(after);
    const { rows, totalCount } = await reader.tripsPage(
      await checked(db, parseTripFilter('filter', filter)),
      size + 1,
      keyset,
    );
    return toConnection(rows, size, (t) => [t.start_key, t.id], {
      totalCount,
      hasPreviousPage: keyset !== undefined,
    });
  },

  async rentalCounts(_parent, { filter, interval, groupBy, timeZone }, { reader, db }) {
    const query = await checked(db, parseRentalFilter('filter', filter));
    const groups: RentalGroupBy[] = [...new Set(groupBy ?? [])];
    if (groups.includes('ZONE') && !query.zoneIds) {
      throw badUserInput('groupBy', 'ZONE needs filter.zoneIds: the zones to count in');
    }
    return reader.rentalCounts(
      query,
      interval,
      groups,
      parseTimeZone('timeZone', timeZone ?? DEFAULT_TIME_ZONE),
    );
  },

  async tripOrigins(_parent, { filter, first }, { reader, db }) {
    const cells = await reader.cellCounts(
      await checked(db, parseTripFilter('filter', filter)),
      false,
      pageSize(first, CELL_LIMITS),
    );
    return cells.map((c) => ({ ...cellCentre(c.lat_index, c.lng_index), count: c.count }));
  },

  async tripDestinations(_parent, { filter, first }, { reader, db }) {
    const cells = await reader.cellCounts(
      await checked(db, parseTripFilter('filter', filter)),
      true,
      pageSize(first, CELL_LIMITS),
    );
    return cells.map((c) => ({ ...cellCentre(c.lat_index, c.lng_index), count: c.count }));
  },
};
