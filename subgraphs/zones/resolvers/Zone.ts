import { geometryAreaKm2, geometryBbox } from '../../../lib/geo/geometry';
import { badUserInput } from '../../../lib/errors';
import type { FormFactor, ZoneResolvers } from '../__generated__/resolvers-types';
import type { ZonesContext } from '../context';
import { parseSeriesArgs, type SeriesArgs } from '../input';
import type { ZoneRow } from '../../../lib/domain/zones';
import { Kind, type GraphQLResolveInfo } from 'graphql';
import {
  bucketStarts,
  SERIES_VALUES,
  seriesView,
  type SeriesQuery,
  type SeriesValue,
} from '../series';

/**
 * The values a series field's `groups { ... }` selects (`available` and `availableColumn` alike),
 * so that only those are read; every value of the measure when the selection has fragments.
 */
function valuesAsked(
  measure: SeriesQuery['measure'],
  info: GraphQLResolveInfo,
): readonly SeriesValue[] {
  const all: readonly SeriesValue[] = SERIES_VALUES[measure];
  const asked = new Set<string>();
  for (const node of info.fieldNodes) {
    for (const selection of node.selectionSet?.selections ?? []) {
      if (selection.kind !== Kind.FIELD) return all;
      if (selection.name.value !== 'groups') continue;
      for (const inner of selection.selectionSet?.selections ?? []) {
        if (inner.kind !== Kind.FIELD) return all;
        asked.add(inner.name.value.replace(/Column$/, ''));
      }
    }
  }
  return all.filter((value) => asked.has(value));
}

/** Loads a zone's series (batched with the other zones of the request). */
async function loadSeries(
  zone: ZoneRow,
  measure: SeriesQuery['measure'],
  args: SeriesArgs,
  context: ZonesContext,
  info: GraphQLResolveInfo,
) {
  const values = valuesAsked(measure, info);
  const text = JSON.stringify([measure, values, args]);
  let query = context.loaders.seriesQueries.get(text);
  if (!query) {
    query = parseSeriesArgs(measure, args, context.seriesTimeZone, values);
    context.loaders.seriesQueries.set(text, query);
  }
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

  async availability(zone, args, context, info) {
    const result = await loadSeries(zone, 'availability', args, context, info);
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
        availableColumn: g.available,
        unavailableColumn: g.unavailable,
        totalColumn: g.total,
      })),
    };
  },

  async rentals(zone, args, context, info) {
    const result = await loadSeries(zone, 'rentals', { ...args, aggregate: 'AVG' }, context, info);
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
        startedColumn: g.started,
        endedColumn: g.ended,
      })),
    };
  },

  retiredAt(zone) {
    return zone.retired_at;
  },
};
