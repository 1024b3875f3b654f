import type { Knex } from 'knex';
import { checkAreaShape, shareInside } from '../geo/areaShape';
import {
  geometryAreaKm2,
  geometryBbox,
  parseAreaGeometry,
  GeometryError,
  type AreaGeometry,
} from '../geo/geometry';
import type { PubSub } from '../pubsub';
import { channels } from './channels';

/**
 * Importing the zones a city reports on (CBS districts "wijken" and neighbourhoods "buurten") from
 * a GeoJSON FeatureCollection: shared by `npm run zones:import`, the zones subgraph's
 * `importZones` mutation and the demo seed. All or nothing: every feature is checked first, and
 * one transaction writes them.
 */

export const IMPORTABLE_ZONE_KINDS = ['DISTRICT', 'NEIGHBOURHOOD'] as const;
export type ImportableZoneKind = (typeof IMPORTABLE_ZONE_KINDS)[number];

/** CBS codes: WK + municipality number + 2 digits, BU + municipality number + 4 digits. */
const CODE_PATTERNS: Record<ImportableZoneKind, { pattern: RegExp; example: string }> = {
  DISTRICT: { pattern: /^WK(\d{4})\d{2}$/, example: 'WK036300' },
  NEIGHBOURHOOD: { pattern: /^BU(\d{4})\d{4}$/, example: 'BU03630000' },
};

/** At most this many features per file, and this many problems listed in a refusal. */
export const MAX_FEATURES = 20_000;
const MAX_PROBLEMS = 20;
/** A zone must lie at least this much inside the municipality its code names. */
const MIN_SHARE_INSIDE = 0.5;

export interface ZoneImportOptions {
  kind: ImportableZoneKind;
  /** The feature property holding the CBS code (default `statcode`, as CBS publishes). */
  codeProperty?: string | undefined;
  /** The feature property holding the name (default `statnaam`); the code when absent. */
  nameProperty?: string | undefined;
  /** When set, every zone must lie in one of these municipalities (the caller's own). */
  allowedMunicipalities?: readonly string[] | undefined;
}

export interface ZoneImportProblem {
  /** Index in `features`; null for a problem with the file as a whole. */
  feature: number | null;
  reason: string;
}

/** The file was refused; nothing was written. */
export class ZoneImportError extends Error {
  constructor(readonly problems: ZoneImportProblem[]) {
    super(
      `zone file refused: ${problems
        .map((p) => (p.feature === null ? p.reason : `features[${p.feature}]: ${p.reason}`))
        .join('; ')}`,
    );
    this.name = 'ZoneImportError';
  }
}

/** Refused because it names a municipality the caller may not change. */
export class ZoneImportForbiddenError extends Error {
  constructor(
    readonly feature: number,
    readonly municipalityCode: string,
  ) {
    super(`features[${feature}] lies in ${municipalityCode}, which your organisation does not own`);
    this.name = 'ZoneImportForbiddenError';
  }
}

export interface ZoneImportResult {
  inserted: number;
  updated: number;
  unchanged: number;
  retired: number;
  municipalities: string[];
}

interface ParsedZone {
  index: number;
  code: string;
  name: string;
  municipalityCode: string;
  geometry: AreaGeometry;
}

interface MunicipalityRow {
  code: string;
  geometry: AreaGeometry;
}

function fail(problems: ZoneImportProblem[]): never {
  throw new ZoneImportError(problems.slice(0, MAX_PROBLEMS));
}

/** Parses the text of a GeoJSON FeatureCollection; refuses anything else. */
function parseCollection(text: string): unknown[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    fail([{ feature: null, reason: `not JSON: ${(err as Error).message}` }]);
  }
  const collection = value as { type?: unknown; features?: unknown };
  if (
    typeof value !== 'object' ||
    value === null ||
    collection.type !== 'FeatureCollection' ||
    !Array.isArray(collection.features)
  ) {
    fail([{ feature: null, reason: 'not a GeoJSON FeatureCollection' }]);
  }
  const features = collection.features as unknown[];
  if (features.length === 0) fail([{ feature: null, reason: 'the collection has no features' }]);
  if (features.length > MAX_FEATURES) {
    fail([{ feature: null, reason: `more than ${MAX_FEATURES} features (${features.length})` }]);
  }
  return features;
}

function swapped(geometry: AreaGeometry): AreaGeometry {
  const swap = (ring: [number, number][]) => ring.map(([a, b]) => [b, a] as [number, number]);
  return geometry.type === 'Polygon'
    ? { type: 'Polygon', coordinates: geometry.coordinates.map(swap) }
    : { type: 'MultiPolygon', coordinates: geometry.coordinates.map((p) => p.map(swap)) };
}

/** Code, name and geometry of one feature, or the reason it can't be used. */
function parseFeature(
  raw: unknown,
  index: number,
  options: ZoneImportOptions,
): ParsedZone | string {
  const f = raw as { type?: unknown; properties?: unknown; geometry?: unknown };
  if (typeof raw !== 'object' || raw === null || f.type !== 'Feature') return 'not a Feature';
  const properties = (f.properties ?? {}) as Record<string, unknown>;
  const codeProperty = options.codeProperty ?? 'statcode';
  const code = properties[codeProperty];
  const { pattern, example } = CODE_PATTERNS[options.kind];
  if (typeof code !== 'string') return `no code in properties.${codeProperty}`;
  const match = pattern.exec(code.trim());
  if (!match) {
    return `unknown code "${code}" in properties.${codeProperty}: a ${options.kind} code looks like ${example}`;
  }
  const name = properties[options.nameProperty ?? 'statnaam'];
  let geometry: AreaGeometry;
  try {
    geometry = parseAreaGeometry(f.geometry, 'geometry');
    checkAreaShape(geometry, 'geometry');
  } catch (err) {
    if (err instanceof GeometryError) return err.message;
    throw err;
  }
  return {
    index,
    code: code.trim(),
    name: typeof name === 'string' && name.trim() !== '' ? name.trim().slice(0, 200) : code.trim(),
    municipalityCode: `GM${match[1]}`,
    geometry,
  };
}

/**
 * Checks every feature against the municipality its code names: the municipality must exist, the
 * caller must own it (when `allowedMunicipalities` is given), and the zone must lie mostly inside
 * it. A zone that lies there only with latitude and longitude swapped is reported as such.
 */
function checkPlacement(
  zones: ParsedZone[],
  municipalities: Map<string, MunicipalityRow>,
  options: ZoneImportOptions,
): ZoneImportProblem[] {
  const problems: ZoneImportProblem[] = [];
  for (const zone of zones) {
    const municipality = municipalities.get(zone.municipalityCode);
    if (!municipality) {
      problems.push({
        feature: zone.index,
        reason: `unknown code "${zone.code}": there is no municipality ${zone.municipalityCode}`,
      });
      continue;
    }
    if (options.allowedMunicipalities && !options.allowedMunicipalities.includes(municipality.code))
      throw new ZoneImportForbiddenError(zone.index, municipality.code);
    const inside = shareInside(zone.geometry, municipality.geometry);
    if (inside >= MIN_SHARE_INSIDE) continue;
    if (shareInside(swapped(zone.geometry), municipality.geometry) >= MIN_SHARE_INSIDE) {
      problems.push({
        feature: zone.index,
        reason:
          'wrong coordinate order: positions look like [latitude, longitude]; GeoJSON is [longitude, latitude]',
      });
    } else {
      problems.push({
        feature: zone.index,
        reason: `lies outside municipality ${zone.municipalityCode} (${Math.round(inside * 100)}% inside)`,
      });
    }
  }
  return problems;
}

/** Everything about a file that can be checked without writing; throws ZoneImportError. */
export async function checkZoneFile(
  db: Knex,
  text: string,
  options: ZoneImportOptions,
): Promise<ParsedZone[]> {
  const features = parseCollection(text);
  const problems: ZoneImportProblem[] = [];
  const zones: ParsedZone[] = [];
  const seen = new Map<string, number>();
  features.forEach((raw, index) => {
    const parsed = parseFeature(raw, index, options);
    if (typeof parsed === 'string') {
      problems.push({ feature: index, reason: parsed });
      return;
    }
    const earlier = seen.get(parsed.code);
    if (earlier !== undefined) {
      problems.push({ feature: index, reason: `code ${parsed.code} repeats features[${earlier}]` });
      return;
    }
    seen.set(parsed.code, index);
    zones.push(parsed);
  });
  if (problems.length > 0) fail(problems);
  const codes = [...new Set(zones.map((z) => z.municipalityCode))];
  const rows = await db('zones')
    .select<{ code: string; geometry: unknown }[]>('code', 'geometry')
    .where({ kind: 'MUNICIPALITY' })
    .whereIn('code', codes);
  const municipalities = new Map(
    rows.map((r) => [r.code, { code: r.code, geometry: parseAreaGeometry(r.geometry) }]),
  );
  const placement = checkPlacement(zones, municipalities, options);
  if (placement.length > 0) fail(placement);
  return zones;
}

/**
 * Imports a zone file: new zones are inserted, known ones (same kind and code) updated in place
 * (their ids stay, so history stays attached), and zones of this kind in the file's municipalities
 * that the file no longer lists are retired (kept, with their history, but no longer assigned to
 * new events). One transaction, with `audit` inside it; `zones.changed` is published after commit
 * so the zone index and the importer pick the changes up.
 */
export async function importZoneFile(
  db: Knex,
  pubsub: PubSub | undefined,
  text: string,
  options: ZoneImportOptions,
  audit?: (trx: Knex.Transaction, result: ZoneImportResult) => Promise<void>,
): Promise<ZoneImportResult> {
  const zones = await checkZoneFile(db, text, options);
  const municipalities = [...new Set(zones.map((z) => z.municipalityCode))].sort();
  const result = await db.transaction(async (trx) => {
    const rows = zones.map((z) => {
      const [minLng, minLat, maxLng, maxLat] = geometryBbox(z.geometry);
      return {
        code: z.code,
        name: z.name,
        kind: options.kind,
        municipality_code: z.municipalityCode,
        geometry: JSON.stringify(z.geometry),
        min_lng: minLng,
        min_lat: minLat,
        max_lng: maxLng,
        max_lat: maxLat,
        area_km2: geometryAreaKm2(z.geometry),
        derived_at: trx.fn.now(),
      };
    });
    let inserted = 0;
    let updated = 0;
    for (let i = 0; i < rows.length; i += 500) {
      const written = await trx.raw<{ rows: { inserted: boolean }[] }>(
        `? on conflict (kind, code) do update set
            name = excluded.name, geometry = excluded.geometry,
            municipality_code = excluded.municipality_code,
            min_lng = excluded.min_lng, min_lat = excluded.min_lat,
            max_lng = excluded.max_lng, max_lat = excluded.max_lat,
            area_km2 = excluded.area_km2, derived_at = excluded.derived_at,
            retired_at = null, updated_at = now()
          where zones.name is distinct from excluded.name
             or zones.geometry is distinct from excluded.geometry
             or zones.municipality_code is distinct from excluded.municipality_code
             or zones.retired_at is not null
          returning (xmax = 0) as inserted`,
        [trx('zones').insert(rows.slice(i, i + 500))],
      );
      const added = written.rows.filter((r) => r.inserted).length;
      inserted += added;
      updated += written.rows.length - added;
    }
    const retired = await trx('zones')
      .where({ kind: options.kind })
      .whereIn('municipality_code', municipalities)
      .whereNotIn(
        'code',
        zones.map((z) => z.code),
      )
      .whereNull('retired_at')
      .update({ retired_at: trx.fn.now(), updated_at: trx.fn.now() });
    const value: ZoneImportResult = {
      inserted,
      updated,
      unchanged: zones.length - inserted - updated,
      retired,
      municipalities,
    };
    await audit?.(trx, value);
    return value;
  });
  if (pubsub && result.inserted + result.updated + result.retired > 0) {
    await pubsub.publish(channels.zonesChanged, { reason: `${options.kind} zones imported` });
  }
  return result;
}
