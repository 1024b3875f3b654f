import { geometryAreaKm2, geometryBbox } from '../../../lib/geo/geometry';
import { badUserInput } from '../../../lib/errors';
import type { FormFactor, ZoneResolvers } from '../__generated__/resolvers-types';
import type { ZonesContext } from '../context';
import { parseSeriesArgs, type SeriesArgs } from '../input';
import type { ZoneRow } from '../../../lib/domain/zones';
import { seriesView, type SeriesQuery } from '../series';

/** Loads a zone's series (batched with the other zones of the request). */
async function loadSeries(
  zone: ZoneRow,
  measure: SeriesQuery['measure'],
  args: SeriesArgs,
  context: ZonesContext,
) {
  const query = parseSeriesArgs(measure, args, context.seriesTimeZone);
  const { scope } = context;
  if (
    seriesView(scope, zone) === 'OWN_FLEETS' &&
    scope.operators.length > 1 &&
    query.source !== '5m' &&
    !query.groupBy.includes('OPERATOR')
  ) {
    // Rollups keep the total of all operators, not of a chosen few: that needs the raw counts.
    throw badUserInput(
      'groupBy',
      `you see ${scope.operators.length} operators' fleets here but not the whole zone: add OPERATOR, or ask at FIVE_MINUTES or FIFTEEN_MINUTES`,
    );
  }
  return context.loaders.series.load({ zone, query });
}

/** The bucket starts of a query: the zones of one batch share the query, so they share these. */
const bucketStartsOf = new WeakMap<SeriesQuery, Date[]>();
function bucketStarts(query: SeriesQuery): Date[] {
  let starts = bucketStartsOf.get(query);
  if (!starts) {
    starts = query.bounds.slice(0, -1).map((b) => new Date(b));
    bucketStartsOf.set(query, starts);
  }
  return starts;
}

export const Zone: ZoneResolvers = {
  __resolveReference({ id }, { loaders }) {
    return loaders.zoneById.load(id);
  },

  // Derived columns are filled at insert and by the zone refresh job; until then, compute them.
  bbox(zone) {
    if (
      zone.min_lng !== null &&
      zone.min_lat !== null &&
      zone.max_lng !== null &&
      zone.max_lat !== null
    ) {
      return {
        minLng: zone.min_lng,
        minLat: zone.min_lat,
        maxLng: zone.max_lng,
        maxLat: zone.max_lat,
      };
    }
    const [minLng, minLat, maxLng, maxLat] = geometryBbox(zone.geometry);
    return { minLng, minLat, maxLng, maxLat };
  },

  areaKm2(zone) {
    return zone.area_km2 ?? geometryAreaKm2(zone.geometry);
  },

  async availability(zone, args, context) {
    const result = await loadSeries(zone, 'availability', args, context);
    if (!result) return null;
    const { query } = result;
    return {
      resolution: query.resolution,
      aggregate: query.aggregate,
      timeZone: query.timeZone,
      bucketStarts: bucketStarts(query),
      end: new Date(query.bounds[query.bounds.length - 1] ?? 0),
      groups: result.groups.map((g) => ({
        operatorId: g.operatorId,
        formFactor: g.formFactor as FormFactor | null,
        available: g.available,
        unavailable: g.unavailable,
        total: g.total,
      })),
    };
  },

  async rentals(zone, args, context) {
    const result = await loadSeries(zone, 'rentals', { ...args, aggregate: 'AVG' }, context);
    if (!result) return null;
    const { query } = result;
    return {
      resolution: query.resolution,
      timeZone: query.timeZone,
      bucketStarts: bucketStarts(query),
      end: new Date(query.bounds[query.bounds.length - 1] ?? 0),
      groups: result.groups.map((g) => ({
        operatorId: g.operatorId,
        formFactor: g.formFactor as FormFactor | null,
        started: g.started,
        ended: g.ended,
      })),
    };
  },

  retiredAt(zone) {
    return zone.retired_at;
  },
};
