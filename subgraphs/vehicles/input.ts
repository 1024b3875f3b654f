import { assertNever, badUserInput } from '../../lib/errors';
import {
  parseBbox,
  parseFormFactors,
  parseMunicipalityCodes,
  parseOperatorIds,
  parseZoneIds,
} from '../../lib/graphql/input';
import { isUuid } from '../../lib/ids';
import { decodeCursor } from '../../lib/pagination';
import type {
  FeedAuthInput,
  StationFilter as StationFilterInput,
  StationSeriesInterval,
  VehicleFilter,
} from './__generated__/resolvers-types';
import type { FleetFilter } from './repository';
import type { StationFilter } from './stations';

/** Checks of this subgraph's arguments: anything wrong is a BAD_USER_INPUT naming the argument. */

/** availableVehicles answers for a neighbourhood-to-city-sized box, not a country. */
export const MAX_OPEN_DATA_BBOX_DEGREES = 0.5;
/** Rounding of a bbox side (about 0.1 mm): a box of exactly the limit is accepted. */
export const BBOX_TOLERANCE_DEGREES = 1e-9;

export function parseFleetFilter(
  argumentName: string,
  filter: VehicleFilter | null | undefined,
): FleetFilter {
  const placements = filter?.placements?.length
    ? [...new Set(filter.placements)]
    : (['FREE_FLOATING'] as const);
  if (!filter) return { placements: [...placements] };
  return {
    placements: [...placements],
    municipalityCodes: filter.municipalityCodes
      ? parseMunicipalityCodes(`${argumentName}.municipalityCodes`, filter.municipalityCodes)
      : undefined,
    zoneIds: filter.zoneIds ? parseZoneIds(`${argumentName}.zoneIds`, filter.zoneIds) : undefined,
    bbox: filter.bbox ? parseBbox(`${argumentName}.bbox`, filter.bbox) : undefined,
    operatorIds: filter.operatorIds
      ? parseOperatorIds(`${argumentName}.operatorIds`, filter.operatorIds)
      : undefined,
    formFactors: filter.formFactors
      ? parseFormFactors(`${argumentName}.formFactors`, filter.formFactors)
      : undefined,
  };
}

export function parseStationFilter(
  argumentName: string,
  filter: StationFilterInput | null | undefined,
): StationFilter {
  const {
    placements: _placements,
    formFactors: _formFactors,
    ...parsed
  } = parseFleetFilter(argumentName, filter);
  return parsed;
}

const STEP_SECONDS: Record<StationSeriesInterval, number> = {
  FIVE_MINUTES: 300,
  FIFTEEN_MINUTES: 900,
  HOUR: 3600,
  DAY: 86400,
};
const MAX_STATION_BUCKETS = 2000;

/** A station series' range: from before to, at most MAX_STATION_BUCKETS steps. */
export function parseStationRange(
  from: Date,
  to: Date,
  interval: StationSeriesInterval,
): { from: Date; to: Date; stepSeconds: number } {
  const stepSeconds = STEP_SECONDS[interval];
  if (to.getTime() <= from.getTime()) throw badUserInput('to', 'must be after from');
  const buckets = Math.ceil((to.getTime() - from.getTime()) / (stepSeconds * 1000));
  if (buckets > MAX_STATION_BUCKETS) {
    throw badUserInput(
      'interval',
      `${buckets} buckets of ${interval} from ${from.toISOString()} to ${to.toISOString()}: at most ${MAX_STATION_BUCKETS}, take a longer interval or a shorter range`,
    );
  }
  return { from, to, stepSeconds };
}

/** A page cursor of vehiclesNow: (feed uuid, vehicle id). */
export function parseVehicleCursor(after: string | null | undefined): [string, string] | undefined {
  if (after === null || after === undefined) return undefined;
  const [feedId, vehicleId] = decodeCursor(after, 2);
  if (typeof feedId !== 'string' || !isUuid(feedId) || typeof vehicleId !== 'string') {
    throw badUserInput('after', 'is not a cursor returned by this API');
  }
  return [feedId, vehicleId];
}

const MAX_URL_LENGTH = 2048;
const MAX_TEXT_LENGTH = 200;
const MAX_SECRET_LENGTH = 4096;
/** RFC 9110 token characters: what a header name may be made of. */
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/;

export function parseText(argumentName: string, text: string, maxLength = MAX_TEXT_LENGTH): string {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.length > maxLength) {
    throw badUserInput(argumentName, `must be 1 to ${maxLength} characters`);
  }
  return trimmed;
}

/** An absolute http(s) URL with no credentials in it (those belong in the feed's auth). */
export function parseHttpUrl(argumentName: string, url: string): string {
  const trimmed = url.trim();
  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch {
    throw badUserInput(argumentName, `"${trimmed}" is not an absolute URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw badUserInput(
      argumentName,
      `must be http or https, got ${parsed.protocol.replace(':', '')}`,
    );
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw badUserInput(argumentName, 'must not contain credentials: give them as auth');
  }
  if (trimmed.length > MAX_URL_LENGTH) {
    throw badUserInput(argumentName, `at most ${MAX_URL_LENGTH} characters`);
  }
  return trimmed;
}

function secret(argumentName: string, value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') {
    throw badUserInput(argumentName, 'is required for this auth type');
  }
  if (value.length > MAX_SECRET_LENGTH || /[\r\n]/.test(value)) {
    throw badUserInput(argumentName, `must be one line of at most ${MAX_SECRET_LENGTH} characters`);
  }
  return value;
}

/**
 * The credentials as the importer reads them (lib/feeds/types.ts FeedAuth). A field the type
 * doesn't use is refused rather than silently dropped.
 */
export function parseFeedAuth(argumentName: string, auth: FeedAuthInput): Record<string, string> {
  const used: Record<FeedAuthInput['type'], (keyof FeedAuthInput)[]> = {
    NONE: [],
    HEADER: ['header', 'value'],
    OAUTH2_CLIENT_CREDENTIALS: ['tokenUrl', 'clientId', 'clientSecret', 'scope'],
  };
  const fields = ['header', 'value', 'tokenUrl', 'clientId', 'clientSecret', 'scope'] as const;
  const unused = fields.find(
    (field) =>
      auth[field] !== null && auth[field] !== undefined && !used[auth.type].includes(field),
  );
  if (unused)
    throw badUserInput(`${argumentName}.${unused}`, `is not used by auth type ${auth.type}`);
  switch (auth.type) {
    case 'NONE':
      return { type: 'NONE' };
    case 'HEADER': {
      const header = auth.header ?? '';
      if (!HEADER_NAME.test(header)) {
        throw badUserInput(
          `${argumentName}.header`,
          'must be an HTTP header name, e.g. Authorization',
        );
      }
      return { type: 'HEADER', header, value: secret(`${argumentName}.value`, auth.value) };
    }
    case 'OAUTH2_CLIENT_CREDENTIALS':
      return {
        type: 'OAUTH2_CLIENT_CREDENTIALS',
        tokenUrl: parseHttpUrl(`${argumentName}.tokenUrl`, auth.tokenUrl ?? ''),
        clientId: secret(`${argumentName}.clientId`, auth.clientId),
        clientSecret: secret(`${argumentName}.clientSecret`, auth.clientSecret),
        ...(auth.scope ? { scope: parseText(`${argumentName}.scope`, auth.scope, 1000) } : {}),
      };
    default:
      return assertNever(auth.type);
  }
}
