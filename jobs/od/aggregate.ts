import { cellToParent } from 'h3-js';
import { FINER_LEVEL, OUTSIDE, type OdLevel } from '../../lib/domain/od';

/** A trip (or a rental start of a feed with rotating ids) as the job reads it. */
export interface OdTrip {
  startMs: number;
  /** null: no known end (an open trip, a rental of a feed with rotating ids). */
  endMs: number | null;
  operatorId: string;
  formFactor: string;
  /** H3 resolution 8, as the importer stores it. */
  startCell: string;
  endCell: string | null;
  startZoneIds: readonly string[];
  endZoneIds: readonly string[] | null;
  startMunicipality: string | null;
  endMunicipality: string | null;
  distanceMeters: number | null;
}

/** The zones a block's trips are placed in. */
export interface OdZones {
  districts: ReadonlySet<string>;
  /** MUNICIPALITY zone id by CBS code. */
  municipalityByCode: ReadonlyMap<string, string>;
}

/** One base unit: the smallest group the rule is applied to, and what a row of od_flows holds. */
export interface OdUnit {
  level: OdLevel;
  origin: string;
  destination: string | null;
  operatorId: string;
  formFactor: string;
  originMunicipality: string | null;
  destinationMunicipality: string | null;
  trips: number;
  durationSecondsSum: number;
  distanceMetersSum: number;
  distanceTrips: number;
}

function districtOf(zoneIds: readonly string[], zones: OdZones): string {
  let found: string | undefined;
  for (const id of zoneIds) if (zones.districts.has(id) && (!found || id < found)) found = id;
  return found ?? OUTSIDE;
}

function municipalityOf(code: string | null, zones: OdZones): string {
  return (code && zones.municipalityByCode.get(code)) || OUTSIDE;
}

const keyOf = (
  u: Omit<OdUnit, 'trips' | 'durationSecondsSum' | 'distanceMetersSum' | 'distanceTrips'>,
) =>
  `${u.level}|${u.origin}|${u.destination ?? ''}|${u.operatorId}|${u.formFactor}|${u.originMunicipality ?? ''}|${u.destinationMunicipality ?? ''}`;

/**
 * Counts a block's trips into base units at every level and keeps those that may be published:
 *
 * - a unit of the fine levels (H3_8, DISTRICT) when it holds at least `minCount` trips;
 * - a unit of a coarse level (H3_7 = its res-8 children, MUNICIPALITY = its districts and the
 *   parts outside any district) when it holds at least `minCount` trips AND what is left after
 *   taking away its published fine units is 0 or at least `minCount`, so that subtracting the
 *   fine flows from the coarse one never reveals a small count.
 *
 * Every answer of the od subgraph is a sum of published units, and every filter it offers selects
 * whole units, so the difference of any two answers is itself a sum of published units: 0 or at
 * least `minCount`.
 */
export function aggregateBlock(
  trips: readonly OdTrip[],
  zones: OdZones,
  minCount: number,
): OdUnit[] {
  const units = new Map<string, OdUnit>();
  /** Fine unit key -> the coarse unit key it is part of. */
  const parentOf = new Map<string, string>();

  const add = (
    unit: Omit<OdUnit, 'trips' | 'durationSecondsSum' | 'distanceMetersSum' | 'distanceTrips'>,
    trip: OdTrip,
  ): string => {
    const key = keyOf(unit);
    let u = units.get(key);
    if (!u) {
      u = { ...unit, trips: 0, durationSecondsSum: 0, distanceMetersSum: 0, distanceTrips: 0 };
      units.set(key, u);
    }
    u.trips += 1;
    if (unit.destination !== null && trip.endMs !== null) {
      u.durationSecondsSum += Math.round((trip.endMs - trip.startMs) / 1000);
      if (trip.distanceMeters !== null) {
        u.distanceMetersSum += trip.distanceMeters;
        u.distanceTrips += 1;
      }
    }
    return key;
  };

  for (const trip of trips) {
    const ended = trip.endMs !== null && trip.endCell !== null;
    const common = {
      operatorId: trip.operatorId,
      formFactor: trip.formFactor,
      originMunicipality: trip.startMunicipality,
      destinationMunicipality: ended ? trip.endMunicipality : null,
    };
    const endCell = ended ? trip.endCell : null;
    const h3Fine = add(
      { ...common, level: 'H3_8', origin: trip.startCell, destination: endCell },
      trip,
    );
    const h3Coarse = add(
      {
        ...common,
        level: 'H3_7',
        origin: cellToParent(trip.startCell, 7),
        destination: endCell === null ? null : cellToParent(endCell, 7),
      },
      trip,
    );
    parentOf.set(h3Fine, h3Coarse);
    const district = add(
      {
        ...common,
        level: 'DISTRICT',
        origin: districtOf(trip.startZoneIds, zones),
        destination: ended ? districtOf(trip.endZoneIds ?? [], zones) : null,
      },
      trip,
    );
    const municipality = add(
      {
        ...common,
        level: 'MUNICIPALITY',
        origin: municipalityOf(trip.startMunicipality, zones),
        destination: ended ? municipalityOf(trip.endMunicipality, zones) : null,
      },
      trip,
    );
    parentOf.set(district, municipality);
  }

  const published = new Set<string>();
  const publishedFine = new Map<string, number>();
  for (const [key, unit] of units) {
    if (unit.level in FINER_LEVEL || unit.trips < minCount) continue;
    published.add(key);
    const parent = parentOf.get(key);
    if (parent) publishedFine.set(parent, (publishedFine.get(parent) ?? 0) + unit.trips);
  }
  for (const [key, unit] of units) {
    if (!(unit.level in FINER_LEVEL) || unit.trips < minCount) continue;
    const rest = unit.trips - (publishedFine.get(key) ?? 0);
    if (rest === 0 || rest >= minCount) published.add(key);
  }
  return [...published].map((key) => units.get(key) as OdUnit);
}
